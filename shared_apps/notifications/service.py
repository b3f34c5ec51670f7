"""The one way the platform tells someone something: ``notify``.

Every app calls ``notify(...)`` with an event; nobody sends mail itself. What happens next:

- **Stored types** (everything but account security): the event and one row per recipient are
  written in the establishment's schema, by the store ``tenant_apps.notifications`` registers at
  start-up (``event_store_register``; public apps never import tenant apps). The person sees it in
  their notification centre at once; a Celery task enqueued on commit delivers it by e-mail
  (immediately or in the daily digest, never in the quiet hours) and by text message when the
  school holds the type urgent, per the person's preferences (``preferences.py``).
- **Without an establishment** (the region portal, e.g. a reply to a support request opened on
  the portal): e-mailed on commit per the person's e-mail preference for the type, not kept.
- **Account security** (``NotificationType.ACCOUNT``: activation codes, password reset,
  second-factor reset): e-mailed at once, in the caller's process, whatever the preferences and
  the hour; never stored (they carry secrets). SMTP errors reach the caller.

See docs/notifications.md.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import connection, transaction
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from mbn_platform.kernel.actors import Actor, actor_id
from mbn_platform.kernel.errors import ValidationFailed
from mbn_platform.kernel.tenancy import schema_name
from shared_apps.notifications.text import Text, as_text
from shared_apps.notifications.types import TYPE_RULES, NotificationType
from tenants.models import Establishment

logger = logging.getLogger(__name__)

MAX_TITLE = 200
MAX_LINK = 500


@dataclass(frozen=True)
class Event:
    """What ``notify`` hands to the store (already checked)."""

    actor_id: int | None
    type: str
    recipients: tuple[int, ...]
    title: Text
    body: Text
    link: str
    establishment: Establishment | None
    urgent: bool | None
    source: str
    about_user_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Notified:
    """What ``notify`` did: the stored event's id in its schema (None when not stored) and how
    many people it was addressed to."""

    notification_id: int | None
    recipients: int
    created: bool = True


class EventStore(Protocol):
    def __call__(self, event: Event) -> Notified: ...


_store: list[EventStore] = []
_direct: list[Callable[[Event], int]] = []
_contact: list[Callable[..., int]] = []


def event_store_register(store: EventStore) -> None:
    """Plug in where events of an establishment are kept (``tenant_apps.notifications``)."""
    _store[:] = [store]


def direct_sender_register(sender: Callable[[Event], int], contact: Callable[..., int]) -> None:
    """Plug in how events that are not stored are e-mailed, and how someone without an account
    is (``delivery.direct``, at start-up)."""
    _direct[:] = [sender]
    _contact[:] = [contact]


def notify(
    *,
    actor: Actor | None,
    type: NotificationType | str,  # noqa: A002 - the word the callers use
    recipients: Iterable[int],
    title: Text | str,
    body: Text | str = "",
    link: str = "",
    establishment: Establishment | None = None,
    urgent: bool | None = None,
    source: str = "",
    about_user_id: int | None = None,
) -> Notified:
    """Tell ``recipients`` (region-wide user ids) that something happened.

    - ``type``: a ``NotificationType``; decides the preferences that apply.
    - ``title`` (one line) and ``body``: a ``Text`` (translated for each reader) or a plain str.
    - ``link``: a path on the establishment's host (``/attendance/family/``), or an absolute URL.
    - ``establishment``: where it happened; ``None`` means the establishment whose schema is
      selected, or the region portal when none is.
    - ``urgent``: ``None`` lets the school's policy decide for the type (same-day absences are
      urgent by default: e-mailed at once, and texted to those who gave a number).
    - ``source``: an idempotency key (e.g. ``"lesson_change:42:1717…"``): a second call with
      the same type and source in the establishment stores nothing and sends nothing.
    - ``about_user_id``: the child (or person) the event is about, shown beside the title.

    Writes in the caller's transaction; delivery starts after its commit.
    """
    type_value = str(type)
    if type_value not in TYPE_RULES:
        raise ValidationFailed(fields={"type": [_("Unknown notification type.")]})
    title_text, body_text = as_text(title), as_text(body)
    if len(link) > MAX_LINK:
        raise ValidationFailed(fields={"link": [_("The link is too long.")]})
    people = tuple(sorted({int(pk) for pk in recipients if pk is not None}))
    if establishment is None:
        establishment = _selected_establishment()
    event = Event(
        actor_id=actor_id(actor),
        type=type_value,
        recipients=people,
        title=title_text,
        body=body_text,
        link=link,
        establishment=establishment,
        urgent=urgent,
        source=source[:200],
        about_user_id=about_user_id,
    )
    if not people:
        return Notified(notification_id=None, recipients=0, created=False)
    if not TYPE_RULES[type_value].stored:
        return Notified(notification_id=None, recipients=_send_direct(event))
    if establishment is None:
        transaction.on_commit(lambda: _send_direct(event))
        return Notified(notification_id=None, recipients=len(people))
    if not _store:
        raise RuntimeError("no notification store registered (is tenant_apps.notifications installed?)")
    with schema_context(establishment.schema_name):
        return _store[0](event)


def _send_direct(event: Event) -> int:
    if not _direct:
        raise RuntimeError("no direct sender registered")
    return _direct[0](event)


def _selected_establishment() -> Establishment | None:
    """The establishment whose schema is selected (a request's, a task's, ``schema_context``'s)."""
    name = schema_name()
    if name == get_public_schema_name():
        return None
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Establishment) and tenant.schema_name == name:
        return tenant
    return Establishment.objects.filter(schema_name=name).first()


def mail_to_address(
    *,
    type: NotificationType | str,  # noqa: A002
    email: str,
    name: str,
    language: str,
    title: Text | str,
    body: Text | str = "",
    link: str = "",
    establishment: Establishment | None = None,
) -> int:
    """E-mail someone who has no account (a help-page contact), at once. Returns 1 when sent."""
    if not _contact:
        raise RuntimeError("no contact sender registered")
    return _contact[0](
        type=str(type),
        email=email,
        name=name,
        language=language,
        title=as_text(title),
        body=as_text(body),
        link=link,
        establishment=establishment,
    )
