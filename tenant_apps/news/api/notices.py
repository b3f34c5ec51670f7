"""Notices in the API (``/api/v1/notices/…``): staff send them and follow their tally, remind
those who have not acknowledged; guardians list theirs and acknowledge. What a person may not
see: 404."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DefaultPagination
from mbn_platform.kernel.errors import NotFound, ValidationFailed
from mbn_platform.kernel.lookups import get_named, get_or_404
from tenant_apps.news import services
from tenant_apps.news.api.common import (
    NoticeFollowedOut,
    NoticeReceivedOut,
    TallyClassOut,
    member_of,
)
from tenant_apps.news.models import Notice
from tenant_apps.news.permissions import GUARDIANS, NOTICE_SENDERS
from tenant_apps.news.selectors.notices import notice_tally, notices_followed, notices_of_guardian
from tenant_apps.news.services.notices import MAX_STUDENTS
from tenant_apps.school.models import Member, SchoolClass


class NoticeIn(serializers.Serializer[object]):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=50_000, required=False, default="", allow_blank=True)
    class_id = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    student_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        max_length=MAX_STUDENTS,
        help_text="region-wide user ids of chosen students (instead of a class)",
    )


class NoticeRemindOut(serializers.Serializer[object]):
    reminded = serializers.IntegerField(help_text="guardians reminded now")


class NoticeAcknowledgeOut(serializers.Serializer[object]):
    acknowledged = serializers.IntegerField(help_text="children it was acknowledged for now")


def followed(request: Request, notice_id: int) -> Notice:
    return get_or_404(notices_followed(member=member_of(request)), pk=notice_id)


class NoticeListApi(BaseAPIView):
    """GET: the notices a member of staff sent (every one for the leadership, administrative and
    school-life staff) with their counts. POST: send a notice to the guardians of a class
    (``class_id``) or of chosen students (``student_ids``)."""

    pagination_class = DefaultPagination
    required_roles = NOTICE_SENDERS

    @extend_schema(responses=NoticeFollowedOut(many=True))
    def get(self, request: Request) -> Response:
        found = notices_followed(member=member_of(request)).order_by("-created_at", "-pk")
        return self.page_response(request, found, lambda rows: NoticeFollowedOut(rows, many=True).data)

    @extend_schema(request=NoticeIn, responses={201: NoticeFollowedOut})
    def post(self, request: Request) -> Response:
        data = NoticeIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        school_class = get_named(SchoolClass, v["class_id"], field="class_id")
        students = list(Member.objects.filter(user_id__in=v["student_ids"])) if school_class is None else []
        if school_class is None and len(students) != len(set(v["student_ids"])):
            raise ValidationFailed(fields={"student_ids": [str(_("Unknown."))]})
        notice = services.notice_send(
            actor=actor_of(request),
            title=v["title"],
            body=v["body"],
            school_class=school_class,
            students=students,
        )
        return Response(NoticeFollowedOut(followed(request, notice.pk)).data, status=201)


class NoticeReceivedApi(BaseAPIView):
    """GET: a guardian's notices, one row per child it concerns, those to acknowledge first."""

    pagination_class = DefaultPagination
    required_roles = GUARDIANS

    @extend_schema(responses=NoticeReceivedOut(many=True))
    def get(self, request: Request) -> Response:
        rows = notices_of_guardian(guardian=member_of(request))
        return self.page_response(request, rows, lambda page: NoticeReceivedOut(page, many=True).data)


class NoticeDetailApi(BaseAPIView):
    """GET: a notice its follower sees, with its counts. DELETE: delete it (audited)."""

    required_roles = NOTICE_SENDERS

    @extend_schema(responses=NoticeFollowedOut)
    def get(self, request: Request, notice_id: int) -> Response:
        return Response(NoticeFollowedOut(followed(request, notice_id)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, notice_id: int) -> Response:
        services.notice_delete(actor=actor_of(request), notice=followed(request, notice_id))
        return Response(status=204)


class NoticeTallyApi(BaseAPIView):
    """GET: per class and per student, each guardian and whether they acknowledged."""

    required_roles = NOTICE_SENDERS

    @extend_schema(responses=TallyClassOut(many=True))
    def get(self, request: Request, notice_id: int) -> Response:
        return Response(TallyClassOut(notice_tally(followed(request, notice_id)), many=True).data)


class NoticeRemindApi(BaseAPIView):
    """POST: remind the guardians who have not acknowledged (one notification each; those reminded
    in the last minutes are not reminded again)."""

    required_roles = NOTICE_SENDERS

    @extend_schema(request=None, responses=NoticeRemindOut)
    def post(self, request: Request, notice_id: int) -> Response:
        count = services.notice_remind(actor=actor_of(request), notice=followed(request, notice_id))
        return Response({"reminded": count})


class NoticeAcknowledgeApi(BaseAPIView):
    """POST: a guardian acknowledges a notice (for every child of theirs it concerns)."""

    required_roles = GUARDIANS

    @extend_schema(request=None, responses=NoticeAcknowledgeOut)
    def post(self, request: Request, notice_id: int) -> Response:
        notice = Notice.objects.filter(pk=notice_id).first()
        if notice is None:
            raise NotFound()
        return Response({"acknowledged": services.notice_acknowledge(actor=actor_of(request), notice=notice)})
