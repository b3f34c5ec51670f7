"""The provisioning API (base domain, region operators): establishments, jobs, bulk batches."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DefaultPagination
from mbn_platform.kernel.errors import ValidationFailed
from mbn_platform.kernel.lookups import get_or_404
from tenants.models import Establishment, ProvisioningBatch, ProvisioningJob
from tenants.offboarding import establishment_offboard, establishment_restore
from tenants.offboarding.export import establishment_exports
from tenants.permissions import CONSOLE_OPERATORS, CONSOLE_READERS
from tenants.provisioning.bulk import batch_progress, bulk_onboarding_preview, bulk_onboarding_start
from tenants.provisioning.domains import establishment_alias_add, establishment_subdomain_change
from tenants.provisioning.jobs import onboarding_job_create, provisioning_job_rollback
from tenants.provisioning.lifecycle import establishment_lifecycle
from tenants.provisioning.tasks import provisioning_job_enqueue
from tenants.selectors import establishment_search
from tenants.tasks import establishment_export_task


class EstablishmentOut(serializers.Serializer[Establishment]):
    uai = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    academie = serializers.CharField()
    departement = serializers.CharField()
    status = serializers.CharField()
    funder = serializers.CharField(source="funded_by.name", default="")
    funder_code = serializers.CharField(source="funded_by.code", default="")
    schema_name = serializers.CharField()
    domains = serializers.SerializerMethodField()

    def get_domains(self, obj: Establishment) -> list[dict[str, Any]]:
        return [
            {"host": d.domain, "primary": d.is_primary, "redirect": d.redirect} for d in obj.domains.all()
        ]


class JobOut(serializers.Serializer[ProvisioningJob]):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    status = serializers.CharField()
    uai = serializers.CharField()
    steps = serializers.DictField()
    error = serializers.CharField()
    attempts = serializers.IntegerField()
    batch = serializers.IntegerField(source="batch_id", allow_null=True)
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)


class OnboardIn(serializers.Serializer[dict[str, Any]]):
    uai = serializers.CharField(max_length=8)
    name = serializers.CharField(max_length=200)
    kind = serializers.CharField(max_length=20)
    academie = serializers.CharField(max_length=100)
    departement = serializers.CharField(max_length=3)
    subdomain = serializers.CharField(max_length=63)
    admin_email = serializers.EmailField(required=False, allow_blank=True)
    # A billing funder's code or name; empty: the default funder of its kind and département.
    funder = serializers.CharField(max_length=120, required=False, allow_blank=True)


def _establishment(uai: str) -> Establishment:
    return get_or_404(
        Establishment.objects.select_related("funded_by").prefetch_related("domains"), uai=uai.upper()
    )


class EstablishmentListApi(BaseAPIView):
    """Search and filter the region's establishments; onboard a new one (a job, run by workers)."""

    pagination_class = DefaultPagination

    required_region_roles = CONSOLE_READERS
    write_region_roles = CONSOLE_OPERATORS

    def get_queryset(self) -> QuerySet[Establishment]:
        params = self.request.query_params
        return establishment_search(
            query=params.get("q", ""),
            academie=params.get("academie", ""),
            departement=params.get("departement", ""),
            kind=params.get("kind", ""),
            status=params.get("status", ""),
            funder=params.get("funder", ""),
        )

    @extend_schema(responses=EstablishmentOut(many=True))
    def get(self, request: Request) -> Response:
        return self.page_response(
            request,
            self.get_queryset(),
            lambda rows: EstablishmentOut(rows, many=True).data,  # type: ignore[arg-type]
        )

    @extend_schema(request=OnboardIn, responses={202: JobOut})
    def post(self, request: Request) -> Response:
        data = OnboardIn(data=request.data)
        data.is_valid(raise_exception=True)
        job = onboarding_job_create(actor=actor_of(request), data=data.validated_data)
        provisioning_job_enqueue(job=job)
        return Response(JobOut(job).data, status=status.HTTP_202_ACCEPTED)


class EstablishmentDetailApi(BaseAPIView):
    required_region_roles = CONSOLE_READERS

    @extend_schema(responses=EstablishmentOut)
    def get(self, request: Request, uai: str) -> Response:
        return Response(EstablishmentOut(_establishment(uai)).data)


class LifecycleIn(serializers.Serializer[dict[str, Any]]):
    action = serializers.ChoiceField(choices=["suspend", "reactivate", "archive"])


class EstablishmentLifecycleApi(BaseAPIView):
    """Suspend, reactivate or archive an establishment."""

    required_region_roles = CONSOLE_OPERATORS

    @extend_schema(request=LifecycleIn, responses=EstablishmentOut)
    def post(self, request: Request, uai: str) -> Response:
        data = LifecycleIn(data=request.data)
        data.is_valid(raise_exception=True)
        establishment = establishment_lifecycle(
            actor=actor_of(request),
            establishment=_establishment(uai),
            action=data.validated_data["action"],
        )
        return Response(EstablishmentOut(establishment).data)


class SubdomainIn(serializers.Serializer[dict[str, Any]]):
    subdomain = serializers.CharField(max_length=63)


class EstablishmentSubdomainApi(BaseAPIView):
    """Change the primary subdomain; the former one redirects to it."""

    required_region_roles = CONSOLE_OPERATORS

    @extend_schema(request=SubdomainIn, responses=EstablishmentOut)
    def post(self, request: Request, uai: str) -> Response:
        data = SubdomainIn(data=request.data)
        data.is_valid(raise_exception=True)
        establishment = _establishment(uai)
        establishment_subdomain_change(
            actor=actor_of(request),
            establishment=establishment,
            subdomain=data.validated_data["subdomain"],
        )
        return Response(EstablishmentOut(_establishment(uai)).data)


class EstablishmentAliasApi(BaseAPIView):
    """Add a subdomain that serves the establishment too."""

    required_region_roles = CONSOLE_OPERATORS

    @extend_schema(request=SubdomainIn, responses=EstablishmentOut)
    def post(self, request: Request, uai: str) -> Response:
        data = SubdomainIn(data=request.data)
        data.is_valid(raise_exception=True)
        establishment_alias_add(
            actor=actor_of(request),
            establishment=_establishment(uai),
            subdomain=data.validated_data["subdomain"],
        )
        return Response(EstablishmentOut(_establishment(uai)).data, status=status.HTTP_201_CREATED)


class JobDetailApi(BaseAPIView):
    required_region_roles = CONSOLE_READERS

    @extend_schema(responses=JobOut)
    def get(self, request: Request, job_id: int) -> Response:
        return Response(JobOut(get_or_404(ProvisioningJob, pk=job_id)).data)


class JobResumeApi(BaseAPIView):
    """Run a failed job again from its first step not done (in a worker)."""

    required_region_roles = CONSOLE_OPERATORS

    @extend_schema(request=None, responses={202: JobOut})
    def post(self, request: Request, job_id: int) -> Response:
        job = get_or_404(ProvisioningJob, pk=job_id)
        if job.status not in ("failed", "pending", "running"):
            raise ValidationFailed(fields={"status": ["Only a failed or unfinished job can be resumed."]})
        provisioning_job_enqueue(job=job)
        return Response(JobOut(job).data, status=status.HTTP_202_ACCEPTED)


class JobRollbackApi(BaseAPIView):
    """Undo what a failed job did, leaving nothing of the establishment."""

    required_region_roles = CONSOLE_OPERATORS

    @extend_schema(request=None, responses=JobOut)
    def post(self, request: Request, job_id: int) -> Response:
        get_or_404(ProvisioningJob, pk=job_id)
        return Response(JobOut(provisioning_job_rollback(actor=actor_of(request), job_id=job_id)).data)


class BatchIn(serializers.Serializer[dict[str, Any]]):
    file = serializers.FileField()


class BatchPreviewApi(BaseAPIView):
    """Check a CSV of establishments: errors by line, nothing written."""

    required_region_roles = CONSOLE_OPERATORS
    parser_classes = (MultiPartParser, FormParser)

    @extend_schema(request={"multipart/form-data": BatchIn}, responses=dict)
    def post(self, request: Request) -> Response:
        data = BatchIn(data=request.data)
        data.is_valid(raise_exception=True)
        preview = bulk_onboarding_preview(content=data.validated_data["file"].read())
        return Response(
            {
                "ok": preview.ok,
                "file_errors": preview.file_errors,
                "valid": len(preview.valid),
                "invalid": [{"line": row.line, "errors": row.errors} for row in preview.invalid],
            }
        )


class BatchOut(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField()
    source_name = serializers.CharField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField()
    by_status = serializers.DictField()


def _batch_data(batch: ProvisioningBatch) -> dict[str, Any]:
    progress = batch_progress(batch=batch)
    return {
        "id": batch.pk,
        "source_name": batch.source_name,
        "total": progress.total,
        "percent": progress.percent,
        "by_status": progress.by_status,
    }


class BatchCreateApi(BaseAPIView):
    """Start one onboarding job per establishment of a valid CSV (all or none)."""

    required_region_roles = CONSOLE_OPERATORS
    parser_classes = (MultiPartParser, FormParser)

    @extend_schema(request={"multipart/form-data": BatchIn}, responses={202: BatchOut})
    def post(self, request: Request) -> Response:
        data = BatchIn(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        batch = bulk_onboarding_start(
            actor=actor_of(request), content=upload.read(), source_name=upload.name or ""
        )
        return Response(BatchOut(_batch_data(batch)).data, status=status.HTTP_202_ACCEPTED)


class BatchDetailApi(BaseAPIView):
    required_region_roles = CONSOLE_READERS

    @extend_schema(responses=BatchOut)
    def get(self, request: Request, batch_id: int) -> Response:
        return Response(BatchOut(_batch_data(get_or_404(ProvisioningBatch, pk=batch_id))).data)


class ExportOut(serializers.Serializer[dict[str, Any]]):
    key = serializers.CharField()
    created_at = serializers.DateTimeField()
    sha256 = serializers.CharField()


class EstablishmentExportsApi(BaseAPIView):
    """List an establishment's exports (GET), or queue a new one (POST, 202)."""

    required_region_roles = CONSOLE_READERS
    write_region_roles = CONSOLE_OPERATORS

    @extend_schema(responses=ExportOut(many=True))
    def get(self, request: Request, uai: str) -> Response:
        return Response(ExportOut(establishment_exports(establishment=_establishment(uai)), many=True).data)  # type: ignore[arg-type]

    @extend_schema(request=None, responses={202: dict})
    def post(self, request: Request, uai: str) -> Response:
        establishment = _establishment(uai)
        actor = actor_of(request)
        transaction.on_commit(
            lambda: establishment_export_task.delay(establishment.pk, actor.pk if actor else None)
        )
        return Response({"queued": True}, status=status.HTTP_202_ACCEPTED)


class OffboardIn(serializers.Serializer[dict[str, Any]]):
    export_key = serializers.CharField(max_length=300)
    confirm_uai = serializers.CharField(max_length=8)


class EstablishmentOffboardApi(BaseAPIView):
    """Delete an establishment whose current export is named and whose UAI is typed again."""

    required_region_roles = CONSOLE_OPERATORS

    @extend_schema(request=OffboardIn, responses={204: None})
    def post(self, request: Request, uai: str) -> Response:
        data = OffboardIn(data=request.data)
        data.is_valid(raise_exception=True)
        establishment_offboard(
            actor=actor_of(request),
            establishment=_establishment(uai),
            confirm_uai=data.validated_data["confirm_uai"],
            export_key=data.validated_data["export_key"],
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class RestoreIn(serializers.Serializer[dict[str, Any]]):
    export_key = serializers.CharField(max_length=300)
    subdomain = serializers.CharField(max_length=63, required=False, allow_blank=True)
    uai = serializers.CharField(max_length=8, required=False, allow_blank=True)


class EstablishmentRestoreApi(BaseAPIView):
    """Re-create an establishment from an export, under a new schema."""

    required_region_roles = CONSOLE_OPERATORS

    @extend_schema(request=RestoreIn, responses={201: EstablishmentOut})
    def post(self, request: Request) -> Response:
        data = RestoreIn(data=request.data)
        data.is_valid(raise_exception=True)
        establishment = establishment_restore(
            actor=actor_of(request),
            export_key=data.validated_data["export_key"],
            subdomain=data.validated_data.get("subdomain") or None,
            uai=data.validated_data.get("uai") or None,
        )
        return Response(
            EstablishmentOut(_establishment(establishment.uai)).data, status=status.HTTP_201_CREATED
        )
