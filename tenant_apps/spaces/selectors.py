"""Reads of spaces, already scoped to what the person may see: their spaces, a space they belong
to (else None: a 404), its topics, a topic's posts (hidden ones kept for its owners), its wall."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from tenant_apps.school.models import Member
from tenant_apps.spaces.membership import at_least, space_role, spaces_of
from tenant_apps.spaces.models import Post, Space, SpaceRole, Topic, WallComment, WallPost

WALL_PAGE = 20


def me(user_id: int) -> Member | None:
    """The person's row here (a guest's too: it has no role)."""
    return Member.objects.filter(user_id=user_id).first()


def my_spaces(member: Member) -> QuerySet[Space]:
    return (
        spaces_of(member)
        .select_related("school_class", "group")
        .annotate(topic_count=Count("topics", distinct=True))
        .order_by("archived", "kind", "name", "pk")
    )


def space_for(member: Member | None, space_id: int) -> tuple[Space, str] | None:
    """The space and the member's right in it; None if they are not one of its members."""
    space = Space.objects.filter(pk=space_id).first()
    if space is None or member is None:
        return None
    role = space_role(member, space)
    return (space, role) if role is not None else None


def topics_of(space: Space) -> QuerySet[Topic]:
    return (
        Topic.objects.filter(space=space)
        .select_related("author")
        .annotate(post_count=Count("posts", filter=Q(posts__hidden_at__isnull=True)))
        .order_by("-pinned", "-last_post_at", "-pk")
    )


def topic_for(space: Space, topic_id: int) -> Topic | None:
    return Topic.objects.filter(space=space, pk=topic_id).select_related("author", "space").first()


def posts_of(topic: Topic, role: str) -> QuerySet[Post]:
    """The topic's posts; hidden ones only for the space's owners (the others see a mark)."""
    rows = Post.objects.filter(topic=topic).select_related("author", "hidden_by")
    return rows if at_least(role, SpaceRole.OWNER) else rows.filter(hidden_at__isnull=True)


def wall_of(space: Space) -> QuerySet[WallPost]:
    return (
        WallPost.objects.filter(space=space)
        .select_related("author")
        .prefetch_related(Prefetch("comments", queryset=WallComment.objects.select_related("author")))
    )
