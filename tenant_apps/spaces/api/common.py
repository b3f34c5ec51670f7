"""What the spaces API shares: the space in the path (404 unless one belongs to it) and the
output serializers."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.request import Request

from mbn_platform.kernel.errors import NotFound
from mbn_platform.kernel.tenancy import request_access
from tenant_apps.school.models import Member
from tenant_apps.spaces import selectors
from tenant_apps.spaces.models import Space


def member_of(request: Request) -> Member:
    member = selectors.me(request_access(request).user_id or 0)
    if member is None:
        raise NotFound()
    return member


def space_seen(request: Request, space_id: int) -> tuple[Space, str, Member]:
    member = member_of(request)
    found = selectors.space_for(member, space_id)
    if found is None:
        raise NotFound()
    return found[0], found[1], member


class SpaceOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    kind = serializers.CharField()
    student_role = serializers.CharField()
    archived = serializers.BooleanField()
    topic_count = serializers.IntegerField(required=False)
    my_role = serializers.SerializerMethodField(help_text="owner, contributor or reader")

    def get_my_role(self, space: Any) -> str:
        return str(self.context.get("roles", {}).get(space.pk, ""))


class MemberOut(serializers.Serializer[object]):
    user_id = serializers.IntegerField(source="member.user_id")
    name = serializers.CharField(source="member.display_name")
    role = serializers.CharField()
    chosen = serializers.BooleanField(help_text="added by hand (else: through the class, group or teaching)")
    guest = serializers.BooleanField(help_text="a guest of another establishment")


class PostOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    author_id = serializers.IntegerField(source="author.user_id")
    author = serializers.CharField(source="author.display_name")
    body = serializers.CharField(help_text="cleaned HTML")
    created_at = serializers.DateTimeField()
    hidden = serializers.SerializerMethodField()

    def get_hidden(self, post: Any) -> bool:
        return post.hidden_at is not None


class TopicOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    author = serializers.CharField(source="author.display_name")
    created_at = serializers.DateTimeField()
    last_post_at = serializers.DateTimeField()
    pinned = serializers.BooleanField()
    locked = serializers.BooleanField()
    post_count = serializers.IntegerField(required=False)


class TopicDetailOut(TopicOut):
    posts = PostOut(many=True)


class CommentOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    author = serializers.CharField(source="author.display_name")
    body = serializers.CharField()
    created_at = serializers.DateTimeField()


class WallPostOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    author_id = serializers.IntegerField(source="author.user_id")
    author = serializers.CharField(source="author.display_name")
    body = serializers.CharField()
    created_at = serializers.DateTimeField()
    comments = CommentOut(many=True, source="comments.all")
