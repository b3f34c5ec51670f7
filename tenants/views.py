"""The operators' console (base domain, region operators): establishments, onboarding, jobs, bulk."""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError, ValidationFailed
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.parsing import parse_text, query_date, query_text
from mbn_platform.kernel.permissions import RolesRequiredMixin
from shared_apps.billing.funders import establishment_funder_assign, funder_named
from shared_apps.billing.models import Funder
from tenants.models import (
    Establishment,
    EstablishmentKind,
    EstablishmentStatus,
    ProvisioningBatch,
    ProvisioningJob,
)
from tenants.offboarding import establishment_offboard, establishment_restore
from tenants.offboarding.export import establishment_exports
from tenants.permissions import CONSOLE_OPERATORS
from tenants.provisioning.bulk import batch_progress, bulk_onboarding_preview, bulk_onboarding_start
from tenants.provisioning.domains import establishment_alias_add, establishment_subdomain_change
from tenants.provisioning.jobs import onboarding_job_create, provisioning_job_rollback
from tenants.provisioning.lifecycle import establishment_lifecycle
from tenants.provisioning.tasks import provisioning_job_enqueue
from tenants.selectors import establishment_search
from tenants.tasks import establishment_export_task

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class ConsoleView(RolesRequiredMixin, View):
    required_region_roles = CONSOLE_OPERATORS


class EstablishmentListView(ConsoleView):
    def get(self, request: HttpRequest) -> HttpResponse:
        filters = {
            key: query_text(request.GET, key, max_length=100)
            for key in ("q", "academie", "departement", "kind", "status", "funder")
        }
        queryset = establishment_search(
            query=filters["q"],
            academie=filters["academie"],
            departement=filters["departement"],
            kind=filters["kind"],
            status=filters["status"],
            funder=filters["funder"],
        )
        page = Paginator(queryset, 50).get_page(request.GET.get("page"))
        academies = Establishment.objects.order_by("academie").values_list("academie", flat=True).distinct()
        departements = (
            Establishment.objects.order_by("departement").values_list("departement", flat=True).distinct()
        )
        funders = Funder.objects.order_by("name").values_list("code", "name")
        return render(
            request,
            "tenants/console/list.html",
            {
                "page": page,
                "filters": filters,
                "academies": list(academies),
                "departements": list(departements),
                "funders": list(funders),
                "kinds": EstablishmentKind.choices,
                "statuses": EstablishmentStatus.choices,
                "query_string": urlencode({k: v for k, v in filters.items() if v}),
            },
        )


class EstablishmentDetailView(ConsoleView):
    def get(self, request: HttpRequest, uai: str) -> HttpResponse:
        establishment = get_or_404(
            Establishment.objects.select_related("funded_by").prefetch_related("domains"), uai=uai
        )
        jobs = ProvisioningJob.objects.filter(uai=establishment.uai).order_by("-created_at")[:10]
        return render(
            request,
            "tenants/console/detail.html",
            {
                "item": establishment,
                "jobs": jobs,
                "exports": establishment_exports(establishment=establishment),
                "funders": Funder.objects.order_by("name"),
                "funder_history": establishment.funder_assignments.select_related("funder"),
            },
        )

    def post(self, request: HttpRequest, uai: str) -> HttpResponse:
        establishment = get_or_404(Establishment, uai=uai)
        action = request.POST.get("action", "")
        try:
            if action in ("suspend", "reactivate", "archive"):
                establishment_lifecycle(actor=actor_of(request), establishment=establishment, action=action)
            elif action == "subdomain":
                establishment_subdomain_change(
                    actor=actor_of(request),
                    establishment=establishment,
                    subdomain=request.POST.get("subdomain", ""),
                )
            elif action == "export":
                actor = actor_of(request)
                establishment_id = establishment.pk
                transaction.on_commit(
                    lambda: establishment_export_task.delay(establishment_id, actor.pk if actor else None)
                )
                messages.success(request, _("The export has been queued; it appears below when done."))
                return HttpResponseRedirect(reverse("console-establishment", args=[establishment.uai]))
            elif action == "offboard":
                establishment_offboard(
                    actor=actor_of(request),
                    establishment=establishment,
                    confirm_uai=request.POST.get("confirm_uai", ""),
                    export_key=request.POST.get("export_key", ""),
                )
                messages.success(request, _("The establishment has been offboarded; its export is kept."))
                return HttpResponseRedirect(reverse("console-list"))
            elif action == "funder":
                establishment_funder_assign(
                    actor=actor_of(request),
                    establishment=establishment,
                    funder=funder_named(request.POST.get("funder", ""), field="funder"),
                    effective_from=query_date(request.POST, "effective_from"),
                    reason=parse_text(request.POST.get("reason", ""), field="reason", max_length=300),
                )
            elif action == "alias":
                establishment_alias_add(
                    actor=actor_of(request),
                    establishment=establishment,
                    subdomain=request.POST.get("subdomain", ""),
                )
            else:
                raise ValidationFailed(fields={"action": [_("Unknown action.")]})
            messages.success(request, _("Done."))
        except ApplicationError as error:
            messages.error(
                request, "; ".join([error.message, *[m for ms in error.fields.values() for m in ms]])
            )
        return HttpResponseRedirect(reverse("console-establishment", args=[establishment.uai]))


ONBOARD_FIELDS = ("uai", "name", "kind", "academie", "departement", "subdomain", "admin_email", "funder")


class OnboardView(ConsoleView):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "tenants/console/onboard.html",
            {"values": {}, "errors": {}, "kinds": EstablishmentKind.choices, "funders": Funder.objects.all()},
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        values = {name: request.POST.get(name, "") for name in ONBOARD_FIELDS}
        try:
            job = onboarding_job_create(actor=actor_of(request), data=values)
        except ApplicationError as error:
            return render(
                request,
                "tenants/console/onboard.html",
                {
                    "values": values,
                    "errors": error.fields,
                    "message": error.message,
                    "kinds": EstablishmentKind.choices,
                    "funders": Funder.objects.all(),
                },
                status=error.status,
            )
        provisioning_job_enqueue(job=job)
        return HttpResponseRedirect(reverse("console-job", args=[job.pk]))


class JobView(ConsoleView):
    def get(self, request: HttpRequest, job_id: int) -> HttpResponse:
        job = get_or_404(ProvisioningJob.objects.select_related("establishment"), pk=job_id)
        template = (
            "tenants/console/_job_status.html"
            if request.headers.get("HX-Request")
            else "tenants/console/job.html"
        )
        return render(request, template, {"job": job, "steps": _steps(job)})

    def post(self, request: HttpRequest, job_id: int) -> HttpResponse:
        job = get_or_404(ProvisioningJob, pk=job_id)
        try:
            if request.POST.get("action") == "resume":
                provisioning_job_enqueue(job=job)
                messages.success(request, _("The job has been queued again."))
            elif request.POST.get("action") == "rollback":
                provisioning_job_rollback(actor=actor_of(request), job_id=job.pk)
                messages.success(request, _("The job has been rolled back."))
        except ApplicationError as error:
            messages.error(request, error.message)
        return HttpResponseRedirect(reverse("console-job", args=[job.pk]))


def _steps(job: ProvisioningJob) -> list[dict[str, Any]]:
    from tenants.provisioning.onboarding import ONBOARDING_STEPS

    return [{"name": name, **job.steps.get(name, {"status": "todo"})} for name in ONBOARDING_STEPS]


class BulkView(ConsoleView):
    """Upload a CSV → preview (errors by line) → start → progress."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "tenants/console/bulk.html", {})

    def post(self, request: HttpRequest) -> HttpResponse:
        if "content" in request.POST:  # the operator confirmed a previewed file
            try:
                content = base64.b64decode(request.POST["content"], validate=True)
            except (binascii.Error, ValueError):
                return render(
                    request,
                    "tenants/console/bulk.html",
                    {"error": _("The file was lost; upload it again.")},
                    status=400,
                )
            try:
                batch = bulk_onboarding_start(
                    actor=actor_of(request),
                    content=content,
                    source_name=request.POST.get("source_name", ""),
                )
            except ApplicationError as error:
                return render(
                    request, "tenants/console/bulk.html", {"error": error.message}, status=error.status
                )
            return HttpResponseRedirect(reverse("console-batch", args=[batch.pk]))
        upload = request.FILES.get("file")
        if upload is None or upload.size is None or upload.size > MAX_UPLOAD_BYTES:
            return render(
                request,
                "tenants/console/bulk.html",
                {"error": _("Choose a CSV file of at most 5 MB.")},
                status=400,
            )
        content = upload.read()
        try:
            preview = bulk_onboarding_preview(content=content)
        except ApplicationError as error:
            return render(request, "tenants/console/bulk.html", {"error": error.message}, status=error.status)
        return render(
            request,
            "tenants/console/bulk_preview.html",
            {
                "preview": preview,
                "content": base64.b64encode(content).decode(),
                "source_name": upload.name,
            },
        )


class BatchView(ConsoleView):
    def get(self, request: HttpRequest, batch_id: int) -> HttpResponse:
        batch = get_or_404(ProvisioningBatch, pk=batch_id)
        failed = ProvisioningJob.objects.filter(batch=batch, status="failed").order_by("pk")[:50]
        context = {"batch": batch, "progress": batch_progress(batch=batch), "failed": failed}
        template = (
            "tenants/console/_batch_progress.html"
            if request.headers.get("HX-Request")
            else "tenants/console/batch.html"
        )
        return render(request, template, context)


class RestoreView(ConsoleView):
    """Re-create an establishment from one of its exports."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "tenants/console/restore.html", {"values": {}, "errors": {}})

    def post(self, request: HttpRequest) -> HttpResponse:
        values = {name: request.POST.get(name, "").strip() for name in ("export_key", "subdomain", "uai")}
        try:
            establishment = establishment_restore(
                actor=actor_of(request),
                export_key=values["export_key"],
                subdomain=values["subdomain"] or None,
                uai=values["uai"] or None,
            )
        except ApplicationError as error:
            return render(
                request,
                "tenants/console/restore.html",
                {"values": values, "errors": error.fields, "message": error.message},
                status=error.status,
            )
        messages.success(request, _("The establishment has been restored."))
        return HttpResponseRedirect(reverse("console-establishment", args=[establishment.uai]))
