"""Messaging's API for the establishment: the communication rules (read by anyone, changed by the
leadership), the reported messages (moderators), the people one may write to."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DefaultPagination
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.parsing import query_text
from tenant_apps.messaging import selectors, services
from tenant_apps.messaging.api.threads import member_of
from tenant_apps.messaging.models import Reach
from tenant_apps.messaging.permissions import MESSAGING_USERS, MODERATORS, RULE_MANAGERS
from tenant_apps.messaging.rules import ROLES, rules_matrix


class RuleOut(serializers.Serializer[object]):
    sender_role = serializers.ChoiceField(choices=ROLES)
    recipient_role = serializers.ChoiceField(choices=ROLES)
    reach = serializers.ChoiceField(choices=Reach.values)


class RulesIn(serializers.Serializer[object]):
    rules = RuleOut(many=True)


class RecipientOut(serializers.Serializer[object]):
    user_id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")
    roles = serializers.ListField(child=serializers.CharField())
    school_class = serializers.CharField(source="school_class.name", allow_null=True, default=None)


class ReportOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    message_id = serializers.IntegerField()
    thread_subject = serializers.CharField(source="message.thread.subject")
    body = serializers.CharField(source="message.body")
    author = serializers.CharField(source="message.author.display_name")
    reported_by = serializers.CharField(source="reported_by.display_name")
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class ResolveIn(serializers.Serializer[object]):
    resolution = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


def matrix_rows() -> list[dict[str, str]]:
    return [
        {"sender_role": s, "recipient_role": r, "reach": reach}
        for (s, r), reach in sorted(rules_matrix().items())
    ]


class RulesApi(BaseAPIView):
    """GET: the communication rules (every cell of the matrix); PUT: change some cells (the
    leadership; audited)."""

    required_roles = MESSAGING_USERS
    write_roles = RULE_MANAGERS

    @extend_schema(responses=RuleOut(many=True))
    def get(self, request: Request) -> Response:
        return Response(matrix_rows())

    @extend_schema(request=RulesIn, responses=RuleOut(many=True))
    def put(self, request: Request) -> Response:
        data = RulesIn(data=request.data)
        data.is_valid(raise_exception=True)
        changes = {(r["sender_role"], r["recipient_role"]): r["reach"] for r in data.validated_data["rules"]}
        services.communication_rules_set(actor=actor_of(request), changes=changes)
        return Response(matrix_rows())


class RecipientsApi(BaseAPIView):
    """GET: the people one may write to (``q``: part of a name)."""

    pagination_class = DefaultPagination
    required_roles = MESSAGING_USERS

    @extend_schema(parameters=[OpenApiParameter("q", str)], responses=RecipientOut(many=True))
    def get(self, request: Request) -> Response:
        found = selectors.recipients_for(
            member=member_of(request), search=query_text(request.GET, "q", max_length=100)
        )
        return self.page_response(request, found, lambda rows: RecipientOut(rows, many=True).data)


class ReportListApi(BaseAPIView):
    pagination_class = DefaultPagination
    required_roles = MODERATORS

    @extend_schema(responses=ReportOut(many=True))
    def get(self, request: Request) -> Response:
        return self.page_response(
            request, selectors.reports_open(), lambda rows: ReportOut(rows, many=True).data
        )


class ReportResolveApi(BaseAPIView):
    required_roles = MODERATORS

    @extend_schema(request=ResolveIn, responses=ReportOut)
    def post(self, request: Request, report_id: int) -> Response:
        report = get_or_404(selectors.reports_open(), pk=report_id)
        data = ResolveIn(data=request.data)
        data.is_valid(raise_exception=True)
        done = services.report_resolve(
            actor=actor_of(request), report=report, resolution=data.validated_data["resolution"]
        )
        return Response(ReportOut(done).data)
