"""Pages of directory imports (a school's host) and of account activation (every host)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_tenants.utils import schema_context

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import ApplicationError, NotFound, ValidationFailed
from mbn_platform.kernel.permissions import RolesRequiredMixin
from shared_apps.directory.activation_services import account_activate, activation_letters_pdf
from shared_apps.directory.api import ActivationThrottle
from shared_apps.directory.models import ImportStatus
from shared_apps.directory.permissions import IMPORT_ROLES
from shared_apps.directory.school_roll import school_roll
from shared_apps.directory.selectors import (
    directory_import_get,
    directory_import_same_as_applied,
    directory_imports_of,
)
from shared_apps.directory.services import (
    MAX_FILE_BYTES,
    DirectoryFilesInvalid,
    directory_import_apply,
    directory_import_preview,
)
from tenants.requests import establishment_served

CATEGORY_LABELS = {
    "created": gettext_lazy("Created"),
    "linked": gettext_lazy("Linked to an existing account"),
    "updated": gettext_lazy("Updated"),
    "unchanged": gettext_lazy("Unchanged"),
    "conflicts": gettext_lazy("Conflicts"),
    "departed": gettext_lazy("Departed"),
}
STRUCTURE_LABELS = {
    "subjects_created": gettext_lazy("Subjects created"),
    "subjects_renamed": gettext_lazy("Subjects renamed"),
    "classes_created": gettext_lazy("Classes created"),
    "classes_levelled": gettext_lazy("Classes given the level of their MEF"),
    "groups_created": gettext_lazy("Groups created"),
    "groups_adopted": gettext_lazy("Groups made by hand, now following the files"),
    "memberships_added": gettext_lazy("Students added to a group"),
    "memberships_removed": gettext_lazy("Students removed from a group"),
    "assignments_added": gettext_lazy("Teaching assignments added"),
    "assignments_removed": gettext_lazy("Teaching assignments removed"),
}


class ImportListView(RolesRequiredMixin, View):
    """Upload form and the establishment's recent imports."""

    required_roles = IMPORT_ROLES

    def _render(
        self, request: HttpRequest, *, error: DirectoryFilesInvalid | None = None, status: int = 200
    ) -> HttpResponse:
        recent = directory_imports_of(establishment=establishment_served(request))[:10]
        return render(
            request, "directory/import_list.html", {"imports": recent, "error": error}, status=status
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        uploads = request.FILES.getlist("files")
        files = [(upload.name or "file", upload.read(MAX_FILE_BYTES + 1)) for upload in uploads]
        try:
            directory_import = directory_import_preview(
                actor=actor_of(request),
                establishment=establishment_served(request),
                files=files,
            )
        except DirectoryFilesInvalid as error:
            return self._render(request, error=error, status=400)
        return redirect("directory-import-detail", import_id=directory_import.pk)


def _import_context(request: HttpRequest, import_id: int) -> dict[str, Any]:
    directory_import = directory_import_get(establishment=establishment_served(request), import_id=import_id)
    counts = directory_import.counts or {}
    samples = directory_import.samples or {}
    structure_counts = counts.get("structure") or {}
    return {
        "imp": directory_import,
        "categories": [
            (key, label, counts.get(key, 0), samples.get(key, [])) for key, label in CATEGORY_LABELS.items()
        ],
        "links": counts.get("links", {}),
        "structure": [(key, label, structure_counts.get(key, 0)) for key, label in STRUCTURE_LABELS.items()]
        if structure_counts
        else [],
        "structure_rows": [
            {**row, "label": STRUCTURE_LABELS.get(row.get("change", ""), row.get("change", ""))}
            for row in samples.get("structure", [])
        ],
        "skipped": directory_import.skipped or [],
        "skipped_counts": (counts.get("skipped", 0), counts.get("left_out", 0)),
        "same_as_applied": directory_import_same_as_applied(directory_import=directory_import),
        "can_apply": directory_import.status in (ImportStatus.PREVIEWED, ImportStatus.FAILED)
        and bool(directory_import.progress_total or directory_import.families)
        and directory_import.feed_run_id is None,
        "polling": directory_import.status == ImportStatus.APPLYING,
    }


class ImportDetailView(RolesRequiredMixin, View):
    """An import's preview, its progress while it is applied, its result."""

    required_roles = IMPORT_ROLES

    def get(self, request: HttpRequest, import_id: int) -> HttpResponse:
        return render(request, "directory/import_detail.html", _import_context(request, import_id))


class ImportProgressView(RolesRequiredMixin, View):
    """The progress partial, polled by HTMX while the import is applied."""

    required_roles = IMPORT_ROLES

    def get(self, request: HttpRequest, import_id: int) -> HttpResponse:
        return render(request, "directory/_progress.html", _import_context(request, import_id))


class ImportApplyView(RolesRequiredMixin, View):
    required_roles = IMPORT_ROLES

    def post(self, request: HttpRequest, import_id: int) -> HttpResponse:
        found = directory_import_get(establishment=establishment_served(request), import_id=import_id)
        directory_import_apply(actor=actor_of(request), directory_import=found)
        messages.success(request, _("The import is being applied."))
        return redirect("directory-import-detail", import_id=import_id)


class LettersView(RolesRequiredMixin, View):
    """Activation letters to print, per class and for the staff."""

    required_roles = IMPORT_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "directory/letters.html", {"classes": school_roll().classes()})


class LettersPdfView(RolesRequiredMixin, View):
    required_roles = IMPORT_ROLES

    def get(self, request: HttpRequest, class_id: int | None = None) -> HttpResponse:
        establishment = establishment_served(request)
        school_class = None
        if class_id is not None:
            with schema_context(establishment.schema_name):
                school_class = school_roll().class_get(class_id=class_id)
            if school_class is None:
                raise NotFound()
        pdf = activation_letters_pdf(
            establishment=establishment,
            school_class=school_class,
            actor=actor_of(request),
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        name = f"activation-{school_class.pk}.pdf" if school_class else "activation-staff.pdf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class ActivateView(RolesRequiredMixin, View):
    """Set a first password with an activation code (anonymous; on every host)."""

    allow_anonymous = True

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {"login": request.GET.get("login", ""), "code": request.GET.get("code", "")}
        return render(request, "directory/activate.html", {"values": initial, "error": None})

    def post(self, request: HttpRequest) -> HttpResponse:
        values = {"login": request.POST.get("login", ""), "code": request.POST.get("code", "")}
        error: ApplicationError | None = None
        throttle = ActivationThrottle()
        if not throttle.allow_request(request, self):  # type: ignore[arg-type]
            error = ApplicationError(
                _("Too many attempts: wait a minute and try again."), code=ErrorCode.THROTTLED
            )
            error.status = 429
        elif request.POST.get("password", "") != request.POST.get("password2", ""):
            error = ValidationFailed(fields={"password2": [_("The two passwords differ.")]})
        else:
            try:
                account_activate(
                    login=values["login"],
                    code=values["code"],
                    password=request.POST.get("password", ""),
                    request=request,
                )
            except ApplicationError as failure:
                error = failure
        if error is not None:
            return render(
                request, "directory/activate.html", {"values": values, "error": error}, status=error.status
            )
        messages.success(request, _("Your account is activated: sign in with your login and new password."))
        return redirect(reverse("login"))
