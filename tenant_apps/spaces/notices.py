"""What the spaces tell people (through the notification service): a new topic or post to the
space's followers, a mention to the person named (``@First Last``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import strip_tags
from django.utils.translation import gettext_noop

from mbn_platform.kernel.actors import Actor
from shared_apps.notify.service import notify
from shared_apps.notify.text import Text
from shared_apps.notify.types import NotificationType
from tenant_apps.school.models import Member
from tenant_apps.spaces.membership import followers, space_members
from tenant_apps.spaces.models import Post, Topic


def mentioned(text: str, people: Iterable[Member]) -> list[Member]:
    """The people named ``@Display Name`` in a text."""
    plain = strip_tags(text)
    return [p for p in people if f"@{p.display_name}" in plain]


def post_notify(actor: Actor | None, topic: Topic, post: Post, *, new_topic: bool) -> None:
    """Followers of the space hear of the new topic or post; people mentioned, of the mention."""
    space = topic.space
    link = f"/spaces/{space.pk}/topics/{topic.pk}/#post-{post.pk}"
    named = mentioned(post.body, [row.member for row in space_members(space)])
    named_ids = {p.user_id for p in named if p.pk != post.author_id}
    if named_ids:
        notify(
            actor=actor,
            type=NotificationType.SPACES,
            recipients=sorted(named_ids),
            title=Text(
                gettext_noop("%(name)s mentioned you in %(topic)s"),
                name=post.author.display_name,
                topic=topic.title,
            ),
            body=Text(gettext_noop("Space: %(space)s"), space=space.name),
            link=link,
            source=f"spaces_mention:{post.pk}",
        )
    others = [u for u in followers(space, excluding=[post.author_id]) if u not in named_ids]
    if not others:
        return
    title = (
        Text(gettext_noop("New topic in %(space)s: %(topic)s"), space=space.name, topic=topic.title)
        if new_topic
        else Text(gettext_noop("New post in %(space)s: %(topic)s"), space=space.name, topic=topic.title)
    )
    notify(
        actor=actor,
        type=NotificationType.SPACES,
        recipients=others,
        title=title,
        body=Text(gettext_noop("By %(name)s"), name=post.author.display_name),
        link=link,
        source=f"spaces_post:{post.pk}",
    )
