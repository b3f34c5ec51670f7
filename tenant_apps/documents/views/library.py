"""The library pages: one's personal documents (``/documents/mine/``) and a library's folder
(``/documents/libraries/<id>/?folder=<id>``): its breadcrumb, sub-folders and files, the quota's
use; for its owners and contributors the upload (with a progress bar when scripts run, a plain
form post otherwise), a new folder, and this folder's rename, move and delete."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError, NotFound
from mbn_platform.kernel.parsing import query_int
from mbn_platform.kernel.permissions import RolesRequiredMixin
from mbn_platform.kernel.tenancy import request_access
from tenant_apps.documents import selectors
from tenant_apps.documents.forms import FolderForm, MoveForm, NameForm, UploadForm
from tenant_apps.documents.models import Folder, Library
from tenant_apps.documents.permissions import DOCUMENT_USERS
from tenant_apps.documents.rights import can_write
from tenant_apps.documents.services import files, folders
from tenant_apps.documents.services.libraries import library_for_person
from tenant_apps.documents.services.quotas import establishment_usage, library_usage, limits
from tenant_apps.documents.serving import is_image, previewable
from tenant_apps.documents.views.common import done, failed, folder_choices
from tenant_apps.school.models import Member

TEMPLATE = "documents/library.html"


def library_url(library: Library, folder: Folder | None = None) -> str:
    url = reverse("documents:library", args=[library.pk])
    return f"{url}?folder={folder.pk}" if folder is not None else url


class LibraryView(RolesRequiredMixin, View):
    required_roles = DOCUMENT_USERS

    def context(self, request: HttpRequest, library_id: int, **forms: Any) -> dict[str, Any]:
        library, right = selectors.library_seen(actor_of(request), library_id)
        folder = selectors.folder_in(library, query_int(request.GET, "folder"))
        writable = can_write(right)
        documents = list(selectors.files_in(library, folder))
        for document in documents:
            document.previewable = previewable(document.content_type)  # type: ignore[attr-defined]
            document.is_image = is_image(document.content_type)  # type: ignore[attr-defined]
        context: dict[str, Any] = {
            "library": library,
            "right": right,
            "writable": writable,
            "folder": folder,
            "trail": selectors.breadcrumb(folder),
            "subfolders": list(selectors.subfolders(library, folder)),
            "documents": documents,
            "usage": library_usage(library) or establishment_usage(),
            "personal": library.kind == Library.Kind.PERSONAL,
            "max_file_bytes": limits()["file_bytes"],
            "here": library_url(library, folder),
        }
        if writable:
            context["upload_form"] = forms.get("upload_form") or UploadForm()
            context["folder_form"] = forms.get("folder_form") or FolderForm()
            if folder is not None:
                context["rename_form"] = forms.get("rename_form") or NameForm(initial={"name": folder.name})
                choices = folder_choices(list(selectors.all_folders(library)), exclude=folder)
                context["move_form"] = forms.get("move_form") or MoveForm(
                    choices=choices, initial={"destination": folder.parent_id or 0}
                )
        return context

    def get(self, request: HttpRequest, library_id: int) -> HttpResponse:
        return render(request, TEMPLATE, self.context(request, library_id))

    def post(self, request: HttpRequest, library_id: int) -> HttpResponse:
        context = self.context(request, library_id)
        if not context["writable"]:
            raise NotFound()
        library, folder, actor = context["library"], context["folder"], actor_of(request)
        action = request.POST.get("action", "upload")
        form: Any
        try:
            if action == "folder":
                form = context["folder_form"] = FolderForm(request.POST)
                if form.is_valid():
                    made = folders.folder_create(
                        actor=actor, library=library, parent=folder, name=form.cleaned_data["name"]
                    )
                    messages.success(request, _("Folder “%(name)s” created.") % {"name": made.name})
                    return done(request, library_url(library, made))
            elif action in {"rename", "move", "delete"} and folder is not None:
                return self.folder_change(request, context, action)
            else:
                form = context["upload_form"] = UploadForm(request.POST, request.FILES)
                if form.is_valid():
                    document = files.document_upload(
                        actor=actor, library=library, folder=folder, upload=form.cleaned_data["file"]
                    )
                    messages.success(request, _("“%(name)s” uploaded.") % {"name": document.name})
                    return done(request, library_url(library, folder))
        except ApplicationError as error:
            return failed(request, TEMPLATE, context, form, error)
        return failed(request, TEMPLATE, context, form, None)

    def folder_change(self, request: HttpRequest, context: dict[str, Any], action: str) -> HttpResponse:
        library, folder, actor = context["library"], context["folder"], actor_of(request)
        form: Any = NameForm()
        try:
            if action == "delete":
                folders.folder_delete(actor=actor, folder=folder)
                messages.success(request, _("Folder “%(name)s” deleted.") % {"name": folder.name})
                return done(request, library_url(library, folder.parent))
            if action == "rename":
                form = context["rename_form"] = NameForm(request.POST)
                if form.is_valid():
                    folders.folder_rename(actor=actor, folder=folder, name=form.cleaned_data["name"])
                    messages.success(request, _("Folder renamed."))
                    return done(request, library_url(library, folder))
            else:
                choices = folder_choices(list(selectors.all_folders(library)), exclude=folder)
                form = context["move_form"] = MoveForm(request.POST, choices=choices)
                if form.is_valid():
                    target = selectors.folder_in(library, form.cleaned_data["destination"] or None)
                    folders.folder_move(actor=actor, folder=folder, parent=target)
                    messages.success(request, _("Folder moved."))
                    return done(request, library_url(library, folder))
        except ApplicationError as error:
            return failed(request, TEMPLATE, context, form, error)
        return failed(request, TEMPLATE, context, form, None)


class MyDocumentsView(LibraryView):
    """One's personal documents (the library is made on the first visit); the folders and files
    link to the library's own address."""

    held_page = True  # kernel/held_pages.py

    def mine(self, request: HttpRequest) -> int:
        member = Member.objects.filter(user_id=request_access(request).user_id or 0, is_active=True).first()
        if member is None:
            raise NotFound()
        return library_for_person(member).pk

    def get(self, request: HttpRequest, library_id: int | None = None) -> HttpResponse:
        return super().get(request, self.mine(request))

    def post(self, request: HttpRequest, library_id: int | None = None) -> HttpResponse:
        return super().post(request, self.mine(request))
