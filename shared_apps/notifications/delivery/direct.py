"""E-mails that are not kept in a centre: account security (always, at once) and events of the
region portal (per the person's e-mail preference for the type)."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives

from shared_apps.notifications.delivery.mail import Addressee, MailItem, compose, send_batch
from shared_apps.notifications.preferences import recipients_of
from shared_apps.notify.service import Event
from shared_apps.notify.text import Text
from shared_apps.notify.types import TYPE_RULES, Channel
from tenants.models import Establishment
from tenants.selectors import establishment_absolute_url


def _school(establishment: Establishment | None) -> str:
    from django.utils.translation import gettext

    return establishment.name if establishment is not None else gettext("Region portal")


def _url(establishment: Establishment | None, link: str) -> str:
    if not link or link.startswith(("http://", "https://")):
        return link
    return establishment_absolute_url(establishment, link)


def direct_send(events: list[Event]) -> int:
    """E-mail each event to each of its recipients who has an address (and wants it, for optional
    types), over one connection; returns how many were sent. SMTP failures raise (``OSError``:
    the caller or its task retries)."""
    people = recipients_of(user_ids={pk for event in events for pk in event.recipients})
    messages: dict[tuple[int, int], EmailMultiAlternatives] = {}
    for n, event in enumerate(events):
        rule = TYPE_RULES[event.type]
        item = MailItem(
            title=event.title,
            body=event.body,
            url=_url(event.establishment, event.link),
            school=_school(event.establishment),
        )
        for pk in event.recipients:
            person = people.get(pk)
            if person is None or not person.email or (rule.optional and not person.can_email()):
                continue
            if not person.wants(event.type, Channel.EMAIL):
                continue
            messages[(n, pk)] = compose(
                to=Addressee(email=person.email, language=person.language, first_name=person.first_name),
                items=[item],
            )
    if not messages:
        return 0
    return sum(1 for outcome in send_batch(messages).values() if outcome == "sent")


def mail_to_contact(
    *,
    type: str,  # noqa: A002
    email: str,
    name: str,
    language: str,
    title: Text,
    body: Text,
    link: str,
    establishment: Establishment | None,
) -> int:
    item = MailItem(title=title, body=body, url=_url(establishment, link), school=_school(establishment))
    message = compose(to=Addressee(email=email, language=language, first_name=name), items=[item])
    return sum(1 for outcome in send_batch({email: message}).values() if outcome == "sent")
