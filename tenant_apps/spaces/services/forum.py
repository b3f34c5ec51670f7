"""A space's forum: topics (pinned, locked by the space's owners), posts in rich text (cleaned
when saved), moderation by the owners (hide or delete a post; audited)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from mbn_platform.kernel.richtext import rich_text_clean, rich_text_is_empty
from tenant_apps.spaces.membership import at_least, space_role
from tenant_apps.spaces.models import Post, Space, SpaceRole, Topic
from tenant_apps.spaces.notices import post_notify
from tenant_apps.spaces.services.common import audit, require

MAX_BODY = 20_000


def _body(body: str) -> str:
    cleaned = rich_text_clean(body)
    if rich_text_is_empty(cleaned):
        raise ValidationFailed(fields={"body": [_("Write a message.")]})
    if len(cleaned) > MAX_BODY:
        raise ValidationFailed(fields={"body": [_("This message is too long.")]})
    return cleaned


@transaction.atomic
def topic_create(*, actor: Actor | None, space: Space, title: str, body: str) -> Topic:
    """A topic and its first post (contributors and owners)."""
    author = require(actor, space, SpaceRole.CONTRIBUTOR)
    if not title.strip():
        raise ValidationFailed(fields={"title": [_("Give the topic a title.")]})
    cleaned = _body(body)
    now = timezone.now()
    topic = Topic.objects.create(
        space=space, title=title.strip()[:200], author=author, created_at=now, last_post_at=now
    )
    post = Post.objects.create(topic=topic, author=author, body=cleaned, created_at=now)
    post_notify(actor, topic, post, new_topic=True)
    return topic


@transaction.atomic
def post_create(*, actor: Actor | None, topic: Topic, body: str) -> Post:
    """A reply in a topic (contributors; a locked topic takes replies from its owners only)."""
    author = require(actor, topic.space, SpaceRole.CONTRIBUTOR)
    topic = Topic.objects.select_for_update().select_related("space").get(pk=topic.pk)
    if topic.locked and not at_least(space_role(author, topic.space), SpaceRole.OWNER):
        raise Conflict(_("This topic is locked."), code=ErrorCode.TOPIC_LOCKED)
    now = timezone.now()
    post = Post.objects.create(topic=topic, author=author, body=_body(body), created_at=now)
    topic.last_post_at = now
    topic.save(update_fields=["last_post_at"])
    post_notify(actor, topic, post, new_topic=False)
    return post


@transaction.atomic
def topic_moderate(*, actor: Actor | None, topic: Topic, pinned: bool, locked: bool) -> Topic:
    """Pin or lock a topic (the space's owners)."""
    require(actor, topic.space, SpaceRole.OWNER)
    before = {"pinned": topic.pinned, "locked": topic.locked}
    topic.pinned, topic.locked = pinned, locked
    topic.save(update_fields=["pinned", "locked"])
    audit(
        actor,
        "spaces.topic_moderated",
        topic,
        {"before": before, "after": {"pinned": pinned, "locked": locked}},
    )
    return topic


@transaction.atomic
def post_hide(*, actor: Actor | None, post: Post, hidden: bool) -> Post:
    """Hide a post from the members (or show it again): owners only; the owners still read it."""
    moderator = require(actor, post.topic.space, SpaceRole.OWNER)
    post.hidden_at = timezone.now() if hidden else None
    post.hidden_by = moderator if hidden else None
    post.save(update_fields=["hidden_at", "hidden_by"])
    audit(
        actor,
        "spaces.post_hidden" if hidden else "spaces.post_shown",
        post,
        {"topic": post.topic_id, "author": post.author.user_id},
    )
    return post


@transaction.atomic
def post_delete(*, actor: Actor | None, post: Post) -> None:
    """Delete a post: its author, or an owner of the space. The topic's first post is deleted
    with its topic."""
    member = require(actor, post.topic.space, SpaceRole.READER)
    topic = post.topic
    if post.author_id != member.pk and not at_least(space_role(member, topic.space), SpaceRole.OWNER):
        raise PermissionDenied(_("Only its author or the space's owners may delete a post."))
    if member.pk == post.author_id and topic.space.archived:
        raise PermissionDenied(_("This space is archived."), code=ErrorCode.SPACE_ARCHIVED)
    first = topic.posts.order_by("created_at", "pk").values_list("pk", flat=True).first()
    details = {
        "topic": topic.pk,
        "title": topic.title,
        "author": post.author.user_id,
        "whole_topic": first == post.pk,
    }
    audit(actor, "spaces.post_deleted", post, details)
    if first == post.pk:
        topic.delete()
    else:
        post.delete()
