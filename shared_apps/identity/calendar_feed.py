"""A person's calendar feed on the portal: one secret address for every school's lessons (theirs
and their children's), over each school's current school year (both changes of time included),
in iCalendar (RFC 5545) with Europe/Paris times. Made and revoked by the person (audited)."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from icalendar import Calendar, Event

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.errors import NotFound
from shared_apps.identity.family_week import lessons_of
from shared_apps.identity.models import CalendarFeedToken, User


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _revoke(user: User) -> int:
    return CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


@transaction.atomic
def calendar_feed_create(*, actor: Actor | None, user: User) -> str:
    """A new secret token (the previous one stops working); returned once."""
    _revoke(user)
    token = secrets.token_urlsafe(32)
    CalendarFeedToken.objects.create(user=user, token_hash=_hash(token))
    audit_record(actor=actor, action="account.calendar_feed_created", target=user, details={})
    return token


@transaction.atomic
def calendar_feed_revoke(*, actor: Actor | None, user: User) -> int:
    revoked = _revoke(user)
    if revoked:
        audit_record(actor=actor, action="account.calendar_feed_revoked", target=user, details={})
    return revoked


def calendar_feed_user(*, token: str) -> User:
    """The person of a live token; NotFound for an unknown or revoked one."""
    if not token or len(token) > 100:
        raise NotFound()
    found = CalendarFeedToken.objects.filter(token_hash=_hash(token), revoked_at__isnull=True).select_related(
        "user"
    )
    feed = found.first()
    if feed is None or not feed.user.is_active:
        raise NotFound()
    return feed.user


def calendar_feed_ical(*, user: User, host: str) -> bytes:
    """The feed: each lesson an event (cancelled ones flagged), named after whose it is."""
    cal = Calendar()
    cal.add("prodid", "-//MBN//Timetable//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "MBN")
    cal.add("x-wr-timezone", "Europe/Paris")
    stamp = timezone.now()
    for item in lessons_of(user=user):
        event = Event()
        event.add("uid", f"{item.uid}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.starts_at())
        event.add("dtend", item.ends_at())
        who = "" if item.user_id == user.pk else f"{item.person}: "
        event.add("summary", f"{who}{item.subject} ({item.audience})")
        event.add("location", ", ".join(x for x in (item.room, item.school) if x))
        event.add("description", "\n".join(x for x in (item.teacher, item.note) if x))
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        cal.add_component(event)
    cal.add_missing_timezones()
    return bytes(cal.to_ical())
