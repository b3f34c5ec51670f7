"""E-mails: composed in the person's language (plain text and HTML, the school's name, absolute
links, the preferences link), sent in batches over one SMTP connection; an address the server
refuses is recorded as bounced without stopping the others."""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from shared_apps.notifications.models import MailBounce
from shared_apps.notifications.text import Text
from tenants.selectors import establishment_absolute_url

logger = logging.getLogger(__name__)

K = TypeVar("K")
PREFERENCES_PATH = "/notifications/preferences/"


@dataclass(frozen=True)
class MailItem:
    """One notification as an e-mail shows it."""

    title: Text
    body: Text
    url: str
    school: str
    at: datetime.datetime | None = None


@dataclass(frozen=True)
class Addressee:
    email: str
    language: str
    first_name: str


class Outcome:
    SENT = "sent"
    BOUNCED = "bounced"


def preferences_url() -> str:
    return establishment_absolute_url(None, PREFERENCES_PATH)


def compose(*, to: Addressee, items: list[MailItem], digest: bool = False) -> EmailMultiAlternatives:
    """One e-mail to one person: one notification, or several (held ones, the daily digest)."""
    with translation.override(to.language or settings.LANGUAGE_CODE):
        rendered: list[dict[str, Any]] = [
            {
                "title": item.title.render(),
                "body": item.body.render(),
                "url": item.url,
                "school": item.school,
                "at": timezone.localtime(item.at) if item.at else None,
            }
            for item in items
        ]
        schools: dict[str, list[dict[str, Any]]] = {}
        for entry in rendered:
            schools.setdefault(str(entry["school"]), []).append(entry)
        context = {
            "first_name": to.first_name,
            "items": rendered,
            "schools": schools,
            "digest": digest,
            "preferences_url": preferences_url(),
        }
        subject = render_to_string("notifications/email/subject.txt", context).strip()
        text = render_to_string("notifications/email/message.txt", context)
        html = render_to_string("notifications/email/message.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:200],
        body=text,
        to=[to.email],
        headers={"List-Unsubscribe": f"<{context['preferences_url']}>"},
    )
    message.attach_alternative(html, "text/html")
    return message


def bounce_record(*, email: str, reason: str) -> None:
    updated = MailBounce.objects.filter(email__iexact=email).update(count=F("count") + 1, reason=reason[:300])
    if not updated:
        MailBounce.objects.create(email=email.lower(), reason=reason[:300])


def _permanent(exc: smtplib.SMTPException) -> bool:
    code = getattr(exc, "smtp_code", None)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [c for c, _msg in exc.recipients.values()]
        return all(c >= 500 for c in codes)
    return isinstance(code, int) and code >= 500


def send_batch(messages: Mapping[K, EmailMultiAlternatives]) -> dict[K, str]:
    """Send each message over one connection; returns key → ``Outcome`` for those settled (sent,
    or refused for good: recorded as a bounce). A connection failure raises (``OSError``) with
    what was settled so far in ``exc.settled``, so that the caller retries only the rest."""
    settled: dict[K, str] = {}
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
        for key, message in messages.items():
            message.connection = connection
            try:
                message.send(fail_silently=False)
            except smtplib.SMTPException as exc:
                if not _permanent(exc):
                    raise
                logger.warning("address refused", extra={"reason": str(exc)[:200]})
                bounce_record(email=message.to[0], reason=str(exc))
                settled[key] = Outcome.BOUNCED
                continue
            settled[key] = Outcome.SENT
    except (smtplib.SMTPException, OSError) as exc:
        error = OSError(str(exc))
        error.settled = settled  # type: ignore[attr-defined]
        raise error from exc
    finally:
        try:
            connection.close()
        except (smtplib.SMTPException, OSError):
            logger.warning("SMTP connection not closed cleanly")
    return settled
