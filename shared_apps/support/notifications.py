"""Telling the other side of a support request about a reply, through the notification service
(type ``support``: e-mailed at once; kept in the person's centre when the request belongs to an
establishment), what the ``support_reply_notify_task`` does once the reply is committed."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from shared_apps.notifications.service import mail_to_address, notify
from shared_apps.notifications.text import Text
from shared_apps.notifications.types import NotificationType
from shared_apps.support.models import SupportReply, SupportRequest
from tenants.selectors import establishment_absolute_url


def support_request_url(support_request: SupportRequest) -> str:
    """The request's page on the host it belongs to (its establishment's, or the portal)."""
    return establishment_absolute_url(
        support_request.establishment, f"/support/requests/{support_request.pk}/"
    )


def support_reply_notification_send(*, reply_id: int) -> int:
    """Tell the other side about a reply: from support, the requester and the person concerned;
    otherwise the assigned agent. Idempotent: a reply is notified once. Returns how many people."""
    claimed = SupportReply.objects.filter(pk=reply_id, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if not claimed:
        return 0
    reply = SupportReply.objects.select_related(
        "request__requester", "request__on_behalf_of", "request__assignee", "request__establishment", "author"
    ).get(pk=reply_id)
    support_request = reply.request
    if reply.from_support:
        people = [support_request.requester, support_request.on_behalf_of]
        intro = Text(gettext_noop("The support team replied to your request:"))
    else:
        people = [support_request.assignee]
        intro = Text(
            gettext_noop("%(author)s replied to the support request:"), author=reply.author.display_name
        )
    user_ids = {p.pk for p in people if p is not None and p.pk != reply.author_id}
    title = Text(gettext_noop("Support: a reply to “%(subject)s”"), subject=support_request.subject)
    body = Text("%(intro)s\n%(text)s", intro=intro, text=reply.body)
    try:
        with transaction.atomic():
            told = notify(
                actor=None,
                type=NotificationType.SUPPORT,
                recipients=user_ids,
                title=title,
                body=body,
                link=f"/support/requests/{support_request.pk}/",
                establishment=support_request.establishment,
                source=f"support-reply:{reply.pk}",
            ).recipients
        if reply.from_support and support_request.requester_id is None and support_request.contact_email:
            # Written from the help page by someone who could not sign in: the answer goes to the
            # address they gave (they have no page to read it on).
            told += mail_to_address(
                type=NotificationType.SUPPORT,
                email=support_request.contact_email,
                name=support_request.contact_name,
                language="fr",
                title=title,
                body=Text(
                    "%(body)s\n\n%(hint)s",
                    body=body,
                    hint=Text(
                        gettext_noop(
                            "Answer this e-mail's questions through the help page, giving the same subject."
                        )
                    ),
                ),
                establishment=support_request.establishment,
            )
    except OSError:
        # SMTP down: let the task retry the whole reply.
        SupportReply.objects.filter(pk=reply_id).update(notified_at=None)
        raise
    return told
