"""Discipline's API (``/api/v1/discipline/…``): incidents, punishments, sanctions, scoped as the
pages are (objects a person may not see: 404)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DefaultPagination
from mbn_platform.kernel.errors import ValidationFailed
from mbn_platform.kernel.lookups import get_named, get_or_404
from mbn_platform.kernel.tenancy import request_access
from tenant_apps.discipline import selectors, services
from tenant_apps.discipline.models import DecisionBody, PunishmentKind, PunishmentStatus, SanctionKind
from tenant_apps.discipline.permissions import DISCIPLINE_READERS, DISCIPLINE_WRITERS
from tenant_apps.school.models import Member


def _scope(request: Request) -> dict[str, Any]:
    access = request_access(request)
    return {"user_id": access.user_id or 0, "roles": access.roles}


def _students(ids: list[int], field: str) -> list[Member]:
    """Students named by user id (any active student here; the services then check that a
    teacher punishes only their own)."""
    found = list(selectors.active_students().filter(user_id__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationFailed(fields={field: [str(_("Unknown student."))]})
    return found


class IncidentOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    occurred_at = serializers.DateTimeField()
    place = serializers.CharField()
    description = serializers.CharField()
    student_ids = serializers.SerializerMethodField()
    witness_ids = serializers.SerializerMethodField()
    other_witnesses = serializers.CharField()
    reported_by = serializers.CharField(source="reported_by.display_name")

    def get_student_ids(self, incident: Any) -> list[int]:
        return [m.user_id for m in incident.students.all()]

    def get_witness_ids(self, incident: Any) -> list[int]:
        return [m.user_id for m in incident.witnesses.all()]


class IncidentIn(serializers.Serializer[object]):
    occurred_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=120, required=False, default="", allow_blank=True)
    description = serializers.CharField()
    student_ids = serializers.ListField(child=serializers.IntegerField(), min_length=1)
    witness_ids = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    other_witnesses = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class IncidentListApi(BaseAPIView):
    """GET: the incidents the person sees; POST: report one (staff; students by user id)."""

    pagination_class = DefaultPagination
    required_roles = DISCIPLINE_WRITERS

    @extend_schema(responses=IncidentOut(many=True))
    def get(self, request: Request) -> Response:
        found = selectors.incidents_visible(**_scope(request))
        return self.page_response(request, found, lambda rows: IncidentOut(rows, many=True).data)

    @extend_schema(request=IncidentIn, responses={201: IncidentOut})
    def post(self, request: Request) -> Response:
        data = IncidentIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        witnesses = list(Member.objects.filter(user_id__in=v["witness_ids"], is_active=True))
        incident = services.incident_create(
            actor=actor_of(request),
            occurred_at=v["occurred_at"],
            description=v["description"],
            place=v["place"],
            students=_students(v["student_ids"], "student_ids"),
            witnesses=witnesses,
            other_witnesses=v["other_witnesses"],
        )
        return Response(IncidentOut(incident).data, status=201)


class IncidentDetailApi(BaseAPIView):
    required_roles = DISCIPLINE_WRITERS

    @extend_schema(responses=IncidentOut)
    def get(self, request: Request, incident_id: int) -> Response:
        return Response(
            IncidentOut(get_or_404(selectors.incidents_visible(**_scope(request)), pk=incident_id)).data
        )


class PunishmentOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    status = serializers.CharField()
    student_id = serializers.IntegerField(source="student.user_id")
    student = serializers.CharField(source="student.display_name")
    incident_id = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField()
    given_by = serializers.CharField(source="given_by.display_name")
    given_on = serializers.DateField()
    date = serializers.DateField(allow_null=True)
    start_time = serializers.TimeField(allow_null=True, format="%H:%M")
    end_time = serializers.TimeField(allow_null=True, format="%H:%M")
    place = serializers.CharField()
    supervisor = serializers.CharField(source="supervisor.display_name", allow_null=True, default=None)
    work = serializers.CharField()


class PunishmentIn(serializers.Serializer[object]):
    student_id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=PunishmentKind.values)
    reason = serializers.CharField()
    date = serializers.DateField()
    start_time = serializers.TimeField(required=False, allow_null=True)
    end_time = serializers.TimeField(required=False, allow_null=True)
    supervisor_id = serializers.IntegerField(required=False, allow_null=True, help_text="a user id")
    place = serializers.CharField(required=False, default="", allow_blank=True)
    work = serializers.CharField(required=False, default="", allow_blank=True)
    incident_id = serializers.IntegerField(required=False, allow_null=True)


class PunishmentListApi(BaseAPIView):
    """GET: the punishments the person sees; POST: give one (staff, a teacher to their students)."""

    pagination_class = DefaultPagination
    required_roles = DISCIPLINE_READERS
    write_roles = DISCIPLINE_WRITERS

    @extend_schema(responses=PunishmentOut(many=True))
    def get(self, request: Request) -> Response:
        found = selectors.punishments_visible(**_scope(request))
        return self.page_response(request, found, lambda rows: PunishmentOut(rows, many=True).data)

    @extend_schema(request=PunishmentIn, responses={201: PunishmentOut})
    def post(self, request: Request) -> Response:
        data = PunishmentIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        supervisor_id, incident_id = v.pop("supervisor_id", None), v.pop("incident_id", None)
        v["student"] = _students([v.pop("student_id")], "student_id")[0]
        v["supervisor"] = (
            get_named(Member.objects.filter(is_active=True), supervisor_id, field="supervisor_id")
            if supervisor_id
            else None
        )
        if v["supervisor"] is None and supervisor_id:
            v["supervisor"] = None
        if supervisor_id:
            v["supervisor"] = Member.objects.filter(user_id=supervisor_id, is_active=True).first()
        v["incident"] = get_named(
            selectors.incidents_visible(**_scope(request)), incident_id, field="incident_id"
        )
        punishment = services.punishment_give(actor=actor_of(request), **v)
        return Response(PunishmentOut(punishment).data, status=201)


class PunishmentDetailApi(BaseAPIView):
    required_roles = DISCIPLINE_READERS

    @extend_schema(responses=PunishmentOut)
    def get(self, request: Request, punishment_id: int) -> Response:
        return Response(
            PunishmentOut(get_or_404(selectors.punishments_visible(**_scope(request)), pk=punishment_id)).data
        )


class PunishmentStatusApi(BaseAPIView):
    """POST ``{"status"}``: done, missed, cancelled or given again (school life, the giver, the
    supervisor)."""

    required_roles = DISCIPLINE_WRITERS

    class StatusIn(serializers.Serializer[object]):
        status = serializers.ChoiceField(choices=PunishmentStatus.values)

    @extend_schema(request=StatusIn, responses=PunishmentOut)
    def post(self, request: Request, punishment_id: int) -> Response:
        punishment = get_or_404(selectors.punishments_visible(**_scope(request)), pk=punishment_id)
        data = self.StatusIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.punishment_status_set(
            actor=actor_of(request), punishment=punishment, status=data.validated_data["status"]
        )
        return Response(PunishmentOut(punishment).data)


class SanctionOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    status = serializers.CharField()
    student_id = serializers.IntegerField(source="student.user_id")
    student = serializers.CharField(source="student.display_name")
    incident_id = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField()
    proposed_on = serializers.DateField()
    exclusion_start = serializers.DateField(allow_null=True)
    exclusion_end = serializers.DateField(allow_null=True)
    body = serializers.CharField()
    decided_on = serializers.DateField(allow_null=True)
    decision = serializers.CharField()
    suspended = serializers.BooleanField()


class SanctionIn(serializers.Serializer[object]):
    student_id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=SanctionKind.values)
    reason = serializers.CharField()
    exclusion_start = serializers.DateField(required=False, allow_null=True)
    exclusion_end = serializers.DateField(required=False, allow_null=True)
    incident_id = serializers.IntegerField(required=False, allow_null=True)


class SanctionListApi(BaseAPIView):
    """GET: the sanctions the person sees (families: pronounced ones); POST: propose one."""

    pagination_class = DefaultPagination
    required_roles = DISCIPLINE_READERS
    write_roles = DISCIPLINE_WRITERS

    @extend_schema(responses=SanctionOut(many=True))
    def get(self, request: Request) -> Response:
        found = selectors.sanctions_visible(**_scope(request))
        return self.page_response(request, found, lambda rows: SanctionOut(rows, many=True).data)

    @extend_schema(request=SanctionIn, responses={201: SanctionOut})
    def post(self, request: Request) -> Response:
        data = SanctionIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        v["student"] = _students([v.pop("student_id")], "student_id")[0]
        incident_id = v.pop("incident_id", None)
        v["incident"] = get_named(
            selectors.incidents_visible(**_scope(request)), incident_id, field="incident_id"
        )
        sanction = services.sanction_propose(actor=actor_of(request), **v)
        return Response(SanctionOut(sanction).data, status=201)


class SanctionDetailApi(BaseAPIView):
    required_roles = DISCIPLINE_READERS

    @extend_schema(responses=SanctionOut)
    def get(self, request: Request, sanction_id: int) -> Response:
        return Response(
            SanctionOut(get_or_404(selectors.sanctions_visible(**_scope(request)), pk=sanction_id)).data
        )


class SanctionDecisionApi(BaseAPIView):
    """POST: the decision (the head): pronounced or not, by whom, its grounds, suspended."""

    required_roles = DISCIPLINE_WRITERS

    class DecisionIn(serializers.Serializer[object]):
        pronounced = serializers.BooleanField()
        body = serializers.ChoiceField(choices=DecisionBody.values)
        decision = serializers.CharField()
        decided_on = serializers.DateField(required=False, allow_null=True)
        suspended = serializers.BooleanField(required=False, default=False)
        exclusion_start = serializers.DateField(required=False, allow_null=True)
        exclusion_end = serializers.DateField(required=False, allow_null=True)

    @extend_schema(request=DecisionIn, responses=SanctionOut)
    def post(self, request: Request, sanction_id: int) -> Response:
        sanction = get_or_404(selectors.sanctions_visible(**_scope(request)), pk=sanction_id)
        data = self.DecisionIn(data=request.data)
        data.is_valid(raise_exception=True)
        decided = services.sanction_decide(actor=actor_of(request), sanction=sanction, **data.validated_data)
        return Response(SanctionOut(decided).data)
