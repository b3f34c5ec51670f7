"""A file's page (its preview for images and PDFs, its versions; for owners and contributors a
new version, restore, rename, move, delete) and its download and inline preview."""

from __future__ import annotations

from typing import Any

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.clickjacking import xframe_options_sameorigin

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError, NotFound
from mbn_platform.kernel.parsing import query_int
from mbn_platform.kernel.permissions import RolesRequiredMixin
from tenant_apps.documents import selectors
from tenant_apps.documents.forms import MoveForm, NameForm, UploadForm
from tenant_apps.documents.models import Document, Version
from tenant_apps.documents.permissions import DOCUMENT_USERS
from tenant_apps.documents.rights import can_write
from tenant_apps.documents.services import files
from tenant_apps.documents.services.quotas import limits
from tenant_apps.documents.serving import is_image, previewable, version_response
from tenant_apps.documents.views.common import done, failed, folder_choices
from tenant_apps.documents.views.library import library_url

TEMPLATE = "documents/file.html"


def file_url(document: Document) -> str:
    return reverse("documents:file", args=[document.pk])


class DocumentView(RolesRequiredMixin, View):
    required_roles = DOCUMENT_USERS

    def context(self, request: HttpRequest, document_id: int, **forms: Any) -> dict[str, Any]:
        document, right = selectors.document_seen(actor_of(request), document_id)
        writable = can_write(right)
        context: dict[str, Any] = {
            "document": document,
            "library": document.library,
            "right": right,
            "writable": writable,
            "trail": selectors.breadcrumb(document.folder),
            "versions": list(selectors.versions_of(document)),
            "previewable": previewable(document.content_type),
            "is_image": is_image(document.content_type),
            "back": library_url(document.library, document.folder),
            "max_file_bytes": limits()["file_bytes"],
        }
        if writable:
            context["upload_form"] = UploadForm()
            context["rename_form"] = NameForm(initial={"name": document.name})
            choices = folder_choices(list(selectors.all_folders(document.library)))
            context["move_form"] = MoveForm(choices=choices, initial={"destination": document.folder_id or 0})
        return context

    def get(self, request: HttpRequest, document_id: int) -> HttpResponse:
        return render(request, TEMPLATE, self.context(request, document_id))

    def post(self, request: HttpRequest, document_id: int) -> HttpResponse:
        context = self.context(request, document_id)
        if not context["writable"]:
            raise NotFound()
        document, actor = context["document"], actor_of(request)
        action = request.POST.get("action", "version")
        form: Any = NameForm()
        try:
            if action == "delete":
                files.document_delete(actor=actor, document=document)
                messages.success(request, _("“%(name)s” deleted.") % {"name": document.name})
                return done(request, context["back"])
            if action == "restore":
                number = query_int(request.POST, "number") or 0
                version = files.document_restore(actor=actor, document=document, number=number)
                messages.success(
                    request,
                    _("Version %(old)d restored as version %(new)d.")
                    % {"old": number, "new": version.number},
                )
                return done(request, file_url(document))
            if action == "rename":
                form = context["rename_form"] = NameForm(request.POST)
                if form.is_valid():
                    files.document_rename(actor=actor, document=document, name=form.cleaned_data["name"])
                    messages.success(request, _("File renamed."))
                    return done(request, file_url(document))
            elif action == "move":
                choices = folder_choices(list(selectors.all_folders(document.library)))
                form = context["move_form"] = MoveForm(request.POST, choices=choices)
                if form.is_valid():
                    target = selectors.folder_in(document.library, form.cleaned_data["destination"] or None)
                    files.document_move(actor=actor, document=document, folder=target)
                    messages.success(request, _("File moved."))
                    return done(request, file_url(document))
            else:
                form = context["upload_form"] = UploadForm(request.POST, request.FILES)
                if form.is_valid():
                    version = files.document_version_add(
                        actor=actor, document=document, upload=form.cleaned_data["file"]
                    )
                    messages.success(request, _("Version %(number)d added.") % {"number": version.number})
                    return done(request, file_url(document))
        except ApplicationError as error:
            return failed(request, TEMPLATE, context, form, error)
        return failed(request, TEMPLATE, context, form, None)


def _version(request: HttpRequest, document_id: int) -> tuple[Document, Version]:
    document, _right = selectors.document_seen(actor_of(request), document_id)
    number = query_int(request.GET, "version")
    version = document.current if number is None else document.versions.filter(number=number).first()
    if version is None or not version.file:
        raise NotFound()
    return document, version


class DownloadView(RolesRequiredMixin, View):
    """The file as an attachment (``?version=<n>``: an older version)."""

    required_roles = DOCUMENT_USERS

    def get(self, request: HttpRequest, document_id: int) -> HttpResponseBase:
        document, version = _version(request, document_id)
        return version_response(document, version, inline=False)


@method_decorator(xframe_options_sameorigin, name="dispatch")
@method_decorator(csp_replace({"frame-ancestors": [SELF]}), name="dispatch")
class PreviewView(RolesRequiredMixin, View):
    """An image or a PDF inline, for the file's page (``<img>``, ``<iframe>``); other types: 404."""

    required_roles = DOCUMENT_USERS

    def get(self, request: HttpRequest, document_id: int) -> HttpResponseBase:
        document, version = _version(request, document_id)
        if not previewable(version.content_type):
            raise NotFound()
        return version_response(document, version, inline=True)
