"""Privacy pages on the portal: one's data (access exports for oneself or one's children), the
records of processing (operators and the DPO), an export for a request received by post. Thin."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.actors import Actor, actor_of
from mbn_platform.kernel.errors import NotFound
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.parsing import query_int, query_text
from mbn_platform.kernel.permissions import ANY_MEMBER, RolesRequiredMixin
from mbn_platform.kernel.privacy import ESTABLISHMENT, REGION, privacy_declarations
from shared_apps.identity.models import GuardianLink, ResponsibilityLevel, User
from shared_apps.privacy.exports import access_export_file, access_exports_of
from shared_apps.privacy.permissions import PRIVACY_OFFICERS
from shared_apps.privacy.services import access_export_request


def _actor(request: HttpRequest) -> Actor:
    actor = actor_of(request)
    if actor is None:
        raise NotFound()
    return actor


class MyDataView(RolesRequiredMixin, View):
    """Ask for an archive of what is held about oneself, or a child one is the legal guardian of."""

    required_roles = ANY_MEMBER

    def get(self, request: HttpRequest) -> HttpResponse:
        actor = _actor(request)
        children = GuardianLink.objects.filter(
            guardian_id=actor.pk, responsibility_level=ResponsibilityLevel.LEGAL, can_act=True
        ).select_related("child")
        return render(
            request,
            "privacy/my_data.html",
            {"children": [link.child for link in children], "exports": access_exports_of(actor=actor)},
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        actor = _actor(request)
        subject_id = query_int(request.POST, "subject") or actor.pk
        subject = get_or_404(User, pk=subject_id)
        access_export_request(actor=actor, subject=subject)
        messages.success(request, _("Your archive is being prepared: it appears below when ready."))
        return HttpResponseRedirect(reverse("privacy-my-data"))


class ExportDownloadView(RolesRequiredMixin, View):
    required_roles = ANY_MEMBER

    def get(self, request: HttpRequest, export_id: int) -> FileResponse:
        export, path = access_export_file(actor=_actor(request), export_id=export_id)
        response = FileResponse(
            path.open("rb"), as_attachment=True, filename=f"mbn-{export.subject.login}.zip"
        )
        response["Cache-Control"] = "private, no-store"
        return response


class RecordsView(RolesRequiredMixin, View):
    """The records of processing (registre des traitements), from each app's declaration."""

    required_region_roles = PRIVACY_OFFICERS

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "privacy/records.html",
            {
                "region": privacy_declarations(scope=REGION),
                "per_establishment": privacy_declarations(scope=ESTABLISHMENT),
            },
        )


class PostalExportView(RolesRequiredMixin, View):
    """An operator or the DPO produces the archive of a person who asked by post."""

    required_region_roles = PRIVACY_OFFICERS

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "privacy/postal.html", {"exports": access_exports_of(actor=_actor(request))})

    def post(self, request: HttpRequest) -> HttpResponse:
        login = query_text(request.POST, "login", max_length=64).lower()
        subject = User.objects.filter(login=login).first() if login else None
        if subject is None:
            messages.error(request, _("No account has this login."))
        else:
            access_export_request(actor=_actor(request), subject=subject, postal=True)
            messages.success(request, _("The archive is being prepared: it appears below when ready."))
        return HttpResponseRedirect(reverse("privacy-postal"))
