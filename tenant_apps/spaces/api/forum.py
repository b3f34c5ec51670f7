"""The forum and wall API of a space (``/api/v1/spaces/<id>/topics/…``, ``…/posts/…``,
``…/wall/…``): read as a member, write as a contributor, moderate as an owner."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DefaultPagination
from mbn_platform.kernel.errors import NotFound
from mbn_platform.kernel.lookups import get_or_404
from tenant_apps.spaces import selectors, services
from tenant_apps.spaces.api.common import (
    CommentOut,
    PostOut,
    TopicDetailOut,
    TopicOut,
    WallPostOut,
    space_seen,
)
from tenant_apps.spaces.models import Post, Space, Topic, WallPost
from tenant_apps.spaces.permissions import SPACE_USERS


class TopicIn(serializers.Serializer[object]):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=20_000, help_text="rich text (HTML), cleaned when saved")


class TopicPatchIn(serializers.Serializer[object]):
    pinned = serializers.BooleanField(required=False)
    locked = serializers.BooleanField(required=False)


class BodyIn(serializers.Serializer[object]):
    body = serializers.CharField(max_length=20_000)


class HideIn(serializers.Serializer[object]):
    hidden = serializers.BooleanField()


def topic_seen(space: Space, topic_id: int) -> Topic:
    topic = selectors.topic_for(space, topic_id)
    if topic is None:
        raise NotFound()
    return topic


class TopicListApi(BaseAPIView):
    """GET: the space's topics, pinned first then by latest post; POST: a topic and its first post."""

    required_roles = SPACE_USERS
    pagination_class = DefaultPagination

    @extend_schema(responses=TopicOut(many=True))
    def get(self, request: Request, space_id: int) -> Response:
        space, _role, _member = space_seen(request, space_id)
        return self.page_response(
            request, selectors.topics_of(space), lambda page: TopicOut(page, many=True).data
        )

    @extend_schema(request=TopicIn, responses={201: TopicOut})
    def post(self, request: Request, space_id: int) -> Response:
        space, _role, _member = space_seen(request, space_id)
        data = TopicIn(data=request.data)
        data.is_valid(raise_exception=True)
        topic = services.topic_create(actor=actor_of(request), space=space, **data.validated_data)
        return Response(TopicOut(topic).data, status=201)


class TopicDetailApi(BaseAPIView):
    """GET: a topic and its posts (hidden posts: owners only); PATCH: pin or lock it (owners)."""

    required_roles = SPACE_USERS

    @extend_schema(responses=TopicDetailOut)
    def get(self, request: Request, space_id: int, topic_id: int) -> Response:
        space, role, _member = space_seen(request, space_id)
        topic = topic_seen(space, topic_id)
        topic.posts_seen = list(selectors.posts_of(topic, role))  # type: ignore[attr-defined]
        body = dict(TopicOut(topic).data)
        body["posts"] = PostOut(topic.posts_seen, many=True).data  # type: ignore[attr-defined]
        return Response(body)

    @extend_schema(request=TopicPatchIn, responses=TopicOut)
    def patch(self, request: Request, space_id: int, topic_id: int) -> Response:
        space, _role, _member = space_seen(request, space_id)
        topic = topic_seen(space, topic_id)
        data = TopicPatchIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        topic = services.topic_moderate(
            actor=actor_of(request),
            topic=topic,
            pinned=v.get("pinned", topic.pinned),
            locked=v.get("locked", topic.locked),
        )
        return Response(TopicOut(topic).data)


class PostListApi(BaseAPIView):
    """POST: reply in a topic (contributors; a locked topic: 409 ``topic_locked``)."""

    required_roles = SPACE_USERS

    @extend_schema(request=BodyIn, responses={201: PostOut})
    def post(self, request: Request, space_id: int, topic_id: int) -> Response:
        space, _role, _member = space_seen(request, space_id)
        topic = topic_seen(space, topic_id)
        data = BodyIn(data=request.data)
        data.is_valid(raise_exception=True)
        post = services.post_create(actor=actor_of(request), topic=topic, body=data.validated_data["body"])
        return Response(PostOut(post).data, status=201)


class PostModerationApi(BaseAPIView):
    """PUT: hide a post from the members or show it again (owners); DELETE: delete it (its author
    or an owner; the first post deletes its topic). Both audited."""

    required_roles = SPACE_USERS

    def post_of(self, request: Request, space_id: int, post_id: int) -> Post:
        space, _role, _member = space_seen(request, space_id)
        return get_or_404(
            Post.objects.filter(topic__space=space).select_related("topic__space", "author"), pk=post_id
        )

    @extend_schema(request=HideIn, responses=PostOut)
    def put(self, request: Request, space_id: int, post_id: int) -> Response:
        post = self.post_of(request, space_id, post_id)
        data = HideIn(data=request.data)
        data.is_valid(raise_exception=True)
        post = services.post_hide(actor=actor_of(request), post=post, hidden=data.validated_data["hidden"])
        return Response(PostOut(post).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, space_id: int, post_id: int) -> Response:
        services.post_delete(actor=actor_of(request), post=self.post_of(request, space_id, post_id))
        return Response(status=204)


class WallApi(BaseAPIView):
    """GET: the space's wall, newest first, with comments; POST: a short post (≤ 500 characters)."""

    required_roles = SPACE_USERS
    pagination_class = DefaultPagination

    @extend_schema(responses=WallPostOut(many=True))
    def get(self, request: Request, space_id: int) -> Response:
        space, _role, _member = space_seen(request, space_id)
        return self.page_response(
            request, selectors.wall_of(space), lambda page: WallPostOut(page, many=True).data
        )

    @extend_schema(request=BodyIn, responses={201: WallPostOut})
    def post(self, request: Request, space_id: int) -> Response:
        space, _role, _member = space_seen(request, space_id)
        data = BodyIn(data=request.data)
        data.is_valid(raise_exception=True)
        post = services.wall_post_create(
            actor=actor_of(request), space=space, body=data.validated_data["body"]
        )
        return Response(WallPostOut(post).data, status=201)


class WallPostApi(BaseAPIView):
    """DELETE: a wall post (its author, or an owner; audited)."""

    required_roles = SPACE_USERS

    @extend_schema(responses={204: None})
    def delete(self, request: Request, space_id: int, post_id: int) -> Response:
        space, _role, _member = space_seen(request, space_id)
        post = get_or_404(WallPost.objects.filter(space=space).select_related("space", "author"), pk=post_id)
        services.wall_post_delete(actor=actor_of(request), post=post)
        return Response(status=204)


class WallCommentApi(BaseAPIView):
    """POST: comment on a wall post (≤ 300 characters)."""

    required_roles = SPACE_USERS

    @extend_schema(request=BodyIn, responses={201: CommentOut})
    def post(self, request: Request, space_id: int, post_id: int) -> Response:
        space, _role, _member = space_seen(request, space_id)
        post = get_or_404(WallPost.objects.filter(space=space).select_related("space"), pk=post_id)
        data = BodyIn(data=request.data)
        data.is_valid(raise_exception=True)
        comment = services.wall_comment_create(
            actor=actor_of(request), post=post, body=data.validated_data["body"]
        )
        return Response(CommentOut(comment).data, status=201)
