"""News in the API (``/api/v1/news/…``): what the reader may see, and for the publishers the
editor (every item, write, publish now or at a time, withdraw, delete, the image) and the news
editors the head names. What a person may not see: 404."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DefaultPagination
from mbn_platform.kernel.errors import NotFound, ValidationFailed
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.parsing import query_int
from tenant_apps.news import services
from tenant_apps.news.api.common import NewsOut, member_of
from tenant_apps.news.audience import KINDS, Target, targets_from
from tenant_apps.news.models import NewsEditor, NewsItem, Visibility
from tenant_apps.news.permissions import NEWS_EDITOR_MANAGERS, NEWS_READERS, NEWS_WRITERS
from tenant_apps.news.selectors.news import news_all, news_readable, news_visible
from tenant_apps.school.models import Member


class NewsTargetIn(serializers.Serializer[object]):
    kind = serializers.ChoiceField(choices=[*KINDS, "group"], help_text="group: the students of a group")
    class_id = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    group_id = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)


class NewsIn(serializers.Serializer[object]):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=100_000, required=False, default="", allow_blank=True)
    visibility = serializers.ChoiceField(choices=Visibility.choices)
    targets = NewsTargetIn(many=True, required=False, default=list)
    expire_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    image_alt = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class NewsPublishIn(serializers.Serializer[object]):
    at = serializers.DateTimeField(required=False, allow_null=True, default=None, help_text="empty: now")


class NewsImageIn(serializers.Serializer[object]):
    image = serializers.FileField()


class NewsEditorIn(serializers.Serializer[object]):
    member_id = serializers.IntegerField(min_value=1, help_text="the region-wide user id")
    allowed = serializers.BooleanField()


class NewsEditorOut(serializers.Serializer[object]):
    member_id = serializers.IntegerField(source="member.user_id")
    name = serializers.CharField(source="member.display_name")


def audiences_from(targets: list[dict[str, Any]]) -> list[Target]:
    keys = [(t["kind"], t["group_id"] if t["kind"] == "group" else t["class_id"]) for t in targets]
    try:
        return targets_from(keys)
    except KeyError as exc:
        raise ValidationFailed(fields={"targets": [str(_("Unknown group."))]}) from exc


def edited(request: Request, news_id: int) -> NewsItem:
    """An item a publisher works on (anyone else: 404)."""
    if not services.may_publish(member_of(request)):
        raise NotFound()
    return get_or_404(news_all(), pk=news_id)


class NewsListApi(BaseAPIView):
    """GET: the published news the person is meant to see, newest first (``all=1``: every item in
    any state, for the publishers). POST: a publisher writes a new item (a draft)."""

    pagination_class = DefaultPagination
    required_roles = NEWS_READERS
    write_roles = NEWS_WRITERS

    @extend_schema(parameters=[OpenApiParameter("all", int)], responses=NewsOut(many=True))
    def get(self, request: Request) -> Response:
        member = member_of(request)
        every = query_int(request.GET, "all") == 1 and services.may_publish(member)
        found = news_all() if every else news_visible(member=member).prefetch_related("targets")
        return self.page_response(request, found, lambda rows: NewsOut(rows, many=True).data)

    @extend_schema(request=NewsIn, responses={201: NewsOut})
    def post(self, request: Request) -> Response:
        data = NewsIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        item = services.news_save(
            actor=actor_of(request),
            title=v["title"],
            body=v["body"],
            visibility=v["visibility"],
            targets=audiences_from([dict(t) for t in v["targets"]]),
            expire_at=v["expire_at"],
            image_alt=v["image_alt"],
        )
        return Response(NewsOut(item).data, status=201)


class NewsDetailApi(BaseAPIView):
    """GET: an item (a publisher: any; others: a published item meant for them). PUT: change it.
    DELETE: delete it (audited)."""

    required_roles = NEWS_READERS
    write_roles = NEWS_WRITERS

    @extend_schema(responses=NewsOut)
    def get(self, request: Request, news_id: int) -> Response:
        member = member_of(request)
        found = news_readable(member=member, may_edit=services.may_publish(member))
        return Response(NewsOut(get_or_404(found, pk=news_id)).data)

    @extend_schema(request=NewsIn, responses=NewsOut)
    def put(self, request: Request, news_id: int) -> Response:
        item = edited(request, news_id)
        data = NewsIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        item = services.news_save(
            actor=actor_of(request),
            item=item,
            title=v["title"],
            body=v["body"],
            visibility=v["visibility"],
            targets=audiences_from([dict(t) for t in v["targets"]]),
            expire_at=v["expire_at"],
            image_alt=v["image_alt"],
        )
        return Response(NewsOut(item).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, news_id: int) -> Response:
        services.news_delete(actor=actor_of(request), item=edited(request, news_id))
        return Response(status=204)


class NewsPublishApi(BaseAPIView):
    """POST: publish an item now, or schedule it (``at`` in the future)."""

    required_roles = NEWS_WRITERS

    @extend_schema(request=NewsPublishIn, responses=NewsOut)
    def post(self, request: Request, news_id: int) -> Response:
        item = edited(request, news_id)
        data = NewsPublishIn(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.news_publish(actor=actor_of(request), item=item, at=data.validated_data["at"])
        return Response(NewsOut(item).data)


class NewsWithdrawApi(BaseAPIView):
    """POST: back to a draft (no longer shown, or no longer scheduled)."""

    required_roles = NEWS_WRITERS

    @extend_schema(request=None, responses=NewsOut)
    def post(self, request: Request, news_id: int) -> Response:
        item = services.news_withdraw(actor=actor_of(request), item=edited(request, news_id))
        return Response(NewsOut(item).data)


class NewsImageApi(BaseAPIView):
    """POST (multipart, ``image``): the item's image (PNG, JPEG or GIF, 5 MB at most)."""

    required_roles = NEWS_WRITERS
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": NewsImageIn}, responses=NewsOut)
    def post(self, request: Request, news_id: int) -> Response:
        item = edited(request, news_id)
        data = NewsImageIn(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.news_image_set(
            actor=actor_of(request), item=item, upload=data.validated_data["image"]
        )
        return Response(NewsOut(item).data)


class NewsEditorsApi(BaseAPIView):
    """GET: the members of staff the head allows to publish news. POST: allow one, or stop."""

    required_roles = NEWS_EDITOR_MANAGERS

    @extend_schema(responses=NewsEditorOut(many=True))
    def get(self, request: Request) -> Response:
        rows = NewsEditor.objects.select_related("member").order_by("member__display_name")
        return Response(NewsEditorOut(rows, many=True).data)

    @extend_schema(request=NewsEditorIn, responses={204: None})
    def post(self, request: Request) -> Response:
        data = NewsEditorIn(data=request.data)
        data.is_valid(raise_exception=True)
        member = Member.objects.filter(user_id=data.validated_data["member_id"], is_active=True).first()
        if member is None:
            raise ValidationFailed(fields={"member_id": [str(_("Unknown."))]})
        services.news_editor_set(
            actor=actor_of(request), member=member, allowed=data.validated_data["allowed"]
        )
        return Response(status=204)
