"""Telling the other side of a support request about a reply, by e-mail (what the
``support_reply_notify_task`` does once the reply is committed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from shared_apps.support.models import SupportReply, SupportRequest
from tenants.selectors import establishment_absolute_url


@dataclass(frozen=True)
class Contact:
    """Someone who wrote from the help page without signing in."""

    name: str
    email: str
    language: str = "fr"

    def get_short_name(self) -> str:
        return self.name


def support_request_url(support_request: SupportRequest) -> str:
    """The request's page on the host it belongs to (its establishment's, or the portal)."""
    return establishment_absolute_url(
        support_request.establishment, f"/support/requests/{support_request.pk}/"
    )


def support_reply_notification_send(*, reply_id: int) -> int:
    """E-mail a reply to the other side: from support, to the requester and the person concerned;
    otherwise to the assigned agent. Idempotent: a reply is sent once. Returns the number sent."""
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
    else:
        people = [support_request.assignee]
    recipients: dict[object, Any] = {
        p.pk: p for p in people if p is not None and p.email and p.pk != reply.author_id
    }
    url = support_request_url(support_request)
    if reply.from_support and support_request.requester_id is None and support_request.contact_email:
        # Written from the help page by someone who could not sign in: the answer goes to the
        # address they gave (they have no page to read it on).
        recipients["contact"] = Contact(support_request.contact_name, support_request.contact_email)
        url = ""
    try:
        for person in recipients.values():
            with translation.override(person.language):
                context = {"person": person, "reply": reply, "support_request": support_request, "url": url}
                subject = render_to_string("support/email/reply_subject.txt", context).strip()
                body = render_to_string("support/email/reply.txt", context)
            send_mail(subject, body, None, [person.email])
    except OSError:
        # SMTP down: let the task retry the whole reply.
        SupportReply.objects.filter(pk=reply_id).update(notified_at=None)
        raise
    return len(recipients)
