"""API of support requests (every host; scoped as the pages are). Thin."""

from __future__ import annotations

from typing import Any

from django.db.models import prefetch_related_objects
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DefaultPagination
from mbn_platform.kernel.permissions import ANY_MEMBER
from mbn_platform.kernel.tenancy import request_access
from shared_apps.support.models import SupportReply, SupportRequest
from shared_apps.support.selectors import support_request_get, support_requests_visible
from shared_apps.support.services import support_reply_add, support_request_create
from tenants.requests import current_establishment


class PersonOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")


class ReplyOut(serializers.Serializer[SupportReply]):
    id = serializers.IntegerField()
    author = PersonOut()
    from_support = serializers.BooleanField()
    body = serializers.CharField()
    created_at = serializers.DateTimeField()


class RequestOut(serializers.Serializer[SupportRequest]):
    id = serializers.IntegerField()
    establishment = serializers.CharField(source="establishment.uai", allow_null=True, default=None)
    requester = PersonOut()
    on_behalf_of = PersonOut(allow_null=True)
    subject = serializers.CharField()
    description = serializers.CharField()
    page_url = serializers.CharField()
    has_screenshot = serializers.SerializerMethodField()
    status = serializers.CharField()
    assignee = PersonOut(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    resolved_at = serializers.DateTimeField(allow_null=True)

    def get_has_screenshot(self, obj: SupportRequest) -> bool:
        return bool(obj.screenshot)


class RequestDetailOut(RequestOut):
    replies = ReplyOut(many=True)


class RequestIn(serializers.Serializer[dict[str, Any]]):
    subject = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000)
    page_url = serializers.CharField(max_length=500, required=False, allow_blank=True)
    screenshot = serializers.FileField(required=False)


class ReplyIn(serializers.Serializer[dict[str, Any]]):
    body = serializers.CharField(max_length=5000)


def _visible(request: Request, request_id: int) -> SupportRequest:
    return support_request_get(
        access=request_access(request), establishment=current_establishment(request), request_id=request_id
    )


class SupportRequestListApi(BaseAPIView):
    """One's support requests (an establishment's admins: the establishment's; agents on the
    portal: all); open a new one."""

    pagination_class = DefaultPagination

    required_roles = ANY_MEMBER

    parser_classes = (JSONParser, MultiPartParser, FormParser)

    @extend_schema(responses=RequestOut(many=True))
    def get(self, request: Request) -> Response:
        queryset = support_requests_visible(
            access=request_access(request), establishment=current_establishment(request)
        )
        return self.page_response(
            request,
            queryset,
            lambda rows: RequestOut(rows, many=True).data,  # type: ignore[arg-type]
        )

    @extend_schema(request=RequestIn, responses={201: RequestOut})
    def post(self, request: Request) -> Response:
        data = RequestIn(data=request.data)
        data.is_valid(raise_exception=True)
        actor = actor_of(request)
        assert actor is not None  # noqa: S101 (the permission class refused anonymous requests)
        created = support_request_create(
            actor=actor,
            establishment=current_establishment(request),
            subject=data.validated_data["subject"],
            description=data.validated_data["description"],
            page_url=data.validated_data.get("page_url", ""),
            screenshot=data.validated_data.get("screenshot"),
            request=request._request,
        )
        return Response(RequestOut(_visible(request, created.pk)).data, status=status.HTTP_201_CREATED)


class SupportRequestDetailApi(BaseAPIView):
    required_roles = ANY_MEMBER

    @extend_schema(responses=RequestDetailOut)
    def get(self, request: Request, request_id: int) -> Response:
        found = _visible(request, request_id)
        prefetch_related_objects([found], "replies__author")
        return Response(RequestDetailOut(found).data)


class SupportReplyApi(BaseAPIView):
    required_roles = ANY_MEMBER

    @extend_schema(request=ReplyIn, responses={201: ReplyOut})
    def post(self, request: Request, request_id: int) -> Response:
        data = ReplyIn(data=request.data)
        data.is_valid(raise_exception=True)
        actor = actor_of(request)
        assert actor is not None  # noqa: S101 (the permission class refused anonymous requests)
        reply = support_reply_add(
            actor=actor,
            support_request=_visible(request, request_id),
            body=data.validated_data["body"],
            request=request._request,
        )
        return Response(ReplyOut(reply).data, status=status.HTTP_201_CREATED)
