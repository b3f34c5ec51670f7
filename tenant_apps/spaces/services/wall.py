"""A space's wall: short posts, newest first, and their comments (contributors write; an author or
an owner of the space deletes, audited)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.errors import PermissionDenied, ValidationFailed
from tenant_apps.spaces.membership import at_least, space_role
from tenant_apps.spaces.models import Space, SpaceRole, WallComment, WallPost
from tenant_apps.spaces.services.common import audit, require


def _text(body: str, limit: int) -> str:
    text = body.strip()
    if not text:
        raise ValidationFailed(fields={"body": [_("Write a message.")]})
    if len(text) > limit:
        raise ValidationFailed(fields={"body": [_("At most %(n)d characters.") % {"n": limit}]})
    return text


@transaction.atomic
def wall_post_create(*, actor: Actor | None, space: Space, body: str) -> WallPost:
    author = require(actor, space, SpaceRole.CONTRIBUTOR)
    return WallPost.objects.create(
        space=space, author=author, body=_text(body, 500), created_at=timezone.now()
    )


@transaction.atomic
def wall_comment_create(*, actor: Actor | None, post: WallPost, body: str) -> WallComment:
    author = require(actor, post.space, SpaceRole.CONTRIBUTOR)
    return WallComment.objects.create(
        post=post, author=author, body=_text(body, 300), created_at=timezone.now()
    )


@transaction.atomic
def wall_post_delete(*, actor: Actor | None, post: WallPost) -> None:
    member = require(actor, post.space, SpaceRole.READER)
    owner = at_least(space_role(member, post.space), SpaceRole.OWNER)
    if not owner and (post.author_id != member.pk or post.space.archived):
        raise PermissionDenied(_("Only its author or the space's owners may delete a wall post."))
    audit(actor, "spaces.wall_post_deleted", post, {"space": post.space_id, "author": post.author.user_id})
    post.delete()
