"""What messaging tells people, through the notification service (centre, preferences, quiet
hours, digest): a new message, to every other participant of its thread. Called inside the
sending service's transaction; delivery starts after the commit. The notification names the
thread and its author, never the message's text (a private thread stays private in an e-mail)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from mbn_platform.kernel.actors import Actor
from shared_apps.notifications.service import notify
from shared_apps.notifications.text import Text
from shared_apps.notifications.types import NotificationType
from tenant_apps.messaging.models import Message, Participant


def message_notify(*, actor: Actor | None, message: Message) -> None:
    thread = message.thread
    recipients = list(
        Participant.objects.filter(thread=thread)
        .exclude(member_id=message.author_id)
        .values_list("member__user_id", flat=True)
    )
    if not recipients:
        return
    notify(
        actor=actor,
        type=NotificationType.MESSAGE,
        recipients=recipients,
        title=Text(gettext_noop("New message: %(subject)s"), subject=thread.subject),
        body=Text(gettext_noop("%(name)s wrote in this conversation."), name=message.author.display_name),
        link=f"/messages/{thread.pk}/",
        source=f"message:{message.pk}",
    )
