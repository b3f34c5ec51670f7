"""E-mails that are not kept in a centre: account security (always, at once) and events of the
region portal (per the person's e-mail preference for the type)."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives

from shared_apps.notifications.delivery.mail import Addressee, MailItem, compose, send_batch
from shared_apps.notifications.preferences import recipients_of
from shared_apps.notifications.service import Event
from shared_apps.notifications.text import Text
from shared_apps.notifications.types import TYPE_RULES, Channel
from tenants.models import Establishment
from tenants.selectors import establishment_absolute_url


def _school(establishment: Establishment | None) -> str:
    from django.utils.translation import gettext

    return establishment.name if establishment is not None else gettext("Region portal")


def _url(establishment: Establishment | None, link: str) -> str:
    if not link or link.startswith(("http://", "https://")):
        return link
    return establishment_absolute_url(establishment, link)


def direct_send(event: Event) -> int:
    """E-mail the event to each recipient who has an address (and wants it, for optional types);
    returns how many were sent. SMTP failures raise (the caller or its task retries)."""
    rule = TYPE_RULES[event.type]
    people = recipients_of(user_ids=event.recipients)
    messages: dict[int, EmailMultiAlternatives] = {}
    for person in people.values():
        if not person.email or (rule.optional and not person.can_email()):
            continue
        if not person.wants(event.type, Channel.EMAIL):
            continue
        item = MailItem(
            title=event.title,
            body=event.body,
            url=_url(event.establishment, event.link),
            school=_school(event.establishment),
        )
        messages[person.user_id] = compose(
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
