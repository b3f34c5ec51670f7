"""Who wants what, by which channel and when: preferences with defaults per role, quiet hours.

Defaults: every type by e-mail; text messages (only ever sent for what a school holds urgent)
to whoever gave a mobile number; push notifications (Web Push, to the devices a person
subscribed) of every type for families, and for staff of what is addressed to them personally
(``STAFF_PUSH_TYPES``: not the school-wide flow of absences, grades, homework…); families
(students, guardians) get one e-mail a day (the digest) and staff one per notification; quiet
hours 20:00-07:00 Europe/Paris. A person changes any of these on the preferences page or through
``PUT /api/v1/notifications/preferences/``.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef

from shared_apps.identity.models import Membership, MembershipStatus, User
from shared_apps.identity.roles import STAFF_ROLES
from shared_apps.notifications.models import MailBounce, NotificationSettings, PushSubscription
from shared_apps.notify.types import OPTIONAL_TYPES, TYPE_RULES, Channel, EmailMode, NotificationType

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
#: The channels a person chooses per type (the web centre is always on).
CHOOSABLE_CHANNELS: tuple[str, ...] = (Channel.EMAIL.value, Channel.SMS.value, Channel.PUSH.value)
#: The types staff get by push unless they choose otherwise (families: every type).
STAFF_PUSH_TYPES = frozenset(
    {
        NotificationType.MESSAGE.value,
        NotificationType.APPOINTMENT.value,
        NotificationType.LESSON_CHANGE.value,
        NotificationType.SUPPORT.value,
        NotificationType.ADMINISTRATION.value,
    }
)


@dataclass(frozen=True)
class Recipient:
    """One person as delivery sees them: address, language, choices (one query for many)."""

    user_id: int
    email: str
    language: str
    first_name: str
    is_staff: bool
    phone: str = ""
    email_mode: str = ""
    quiet_start: datetime.time | None = None
    quiet_end: datetime.time | None = None
    channels: dict[str, dict[str, bool]] = field(default_factory=dict)
    bounced: bool = False
    #: At least one device subscribed to push notifications.
    push: bool = False

    @property
    def mode(self) -> str:
        if self.email_mode:
            return self.email_mode
        return EmailMode.IMMEDIATE.value if self.is_staff else EmailMode.DIGEST.value

    def wants(self, type_: str, channel: str) -> bool:
        """Whether this person gets ``type_`` by ``channel`` (their choice, else the default)."""
        rule = TYPE_RULES.get(type_)
        if channel == Channel.WEB:
            return True
        if rule is None:
            return False
        if not rule.optional:
            return channel == Channel.EMAIL
        chosen = self.channels.get(type_, {})
        value = chosen.get(channel) if isinstance(chosen, dict) else None
        if isinstance(value, bool):
            return value
        if channel == Channel.PUSH and self.is_staff:
            return type_ in STAFF_PUSH_TYPES
        return True

    def can_email(self) -> bool:
        return bool(self.email) and not self.bounced

    @property
    def quiet_hours(self) -> tuple[datetime.time, datetime.time]:
        start, end = default_quiet_hours()
        return self.quiet_start or start, self.quiet_end or end

    def held_until(self, now: datetime.datetime) -> datetime.datetime | None:
        start, end = self.quiet_hours
        return quiet_until(now=now, start=start, end=end)


def default_quiet_hours() -> tuple[datetime.time, datetime.time]:
    """The platform's quiet hours for people who did not set theirs (settings)."""
    start, end = settings.NOTIFICATIONS_QUIET_HOURS
    return datetime.time.fromisoformat(start), datetime.time.fromisoformat(end)


def quiet_until(
    *, now: datetime.datetime, start: datetime.time, end: datetime.time
) -> datetime.datetime | None:
    """The end of the quiet hours when ``now`` falls in them (Europe/Paris), else ``None``."""
    if start == end:
        return None
    local = now.astimezone(PARIS)
    t = local.time()
    overnight = start > end
    inside = (t >= start or t < end) if overnight else (start <= t < end)
    if not inside:
        return None
    day = local.date()
    if overnight and t >= start:
        day += datetime.timedelta(days=1)
    return datetime.datetime.combine(day, end, tzinfo=PARIS)


def recipients_of(*, user_ids: Iterable[int]) -> dict[int, Recipient]:
    """Active people among ``user_ids`` with their choices: three queries, whatever their number."""
    ids = list(set(user_ids))
    if not ids:
        return {}
    rows = list(
        User.objects.filter(pk__in=ids, is_active=True)
        .annotate(push=Exists(PushSubscription.objects.filter(user_id=OuterRef("pk"))))
        .values_list(
            "pk",
            "email",
            "language",
            "first_name",
            "notification_settings__channels",
            "notification_settings__email_mode",
            "notification_settings__quiet_start",
            "notification_settings__quiet_end",
            "notification_settings__phone",
            "push",
        )
    )
    staff = set(
        Membership.objects.filter(
            user_id__in=ids, status=MembershipStatus.ACTIVE, role__in=list(STAFF_ROLES)
        ).values_list("user_id", flat=True)
    )
    emails = [row[1].lower() for row in rows if row[1]]
    bounced = (
        {e.lower() for e in MailBounce.objects.filter(email__in=emails).values_list("email", flat=True)}
        if emails
        else set()
    )
    found: dict[int, Recipient] = {}
    for pk, email, language, first_name, channels, mode, q_start, q_end, phone, push in rows:
        found[pk] = Recipient(
            user_id=pk,
            email=email or "",
            language=language or "fr",
            first_name=first_name or "",
            is_staff=pk in staff,
            phone=phone or "",
            email_mode=mode or "",
            quiet_start=q_start,
            quiet_end=q_end,
            channels=channels if isinstance(channels, dict) else {},
            bounced=bool(email) and email.lower() in bounced,
            push=bool(push),
        )
    return found


def preferences_of(*, user: User) -> dict[str, Any]:
    """Every choosable type and channel with the person's choice or the default, and the rest."""
    person = recipients_of(user_ids=[user.pk]).get(user.pk)
    if person is None:
        person = Recipient(user_id=user.pk, email="", language="fr", first_name="", is_staff=False)
    stored = NotificationSettings.objects.filter(user=user).first()
    return {
        "types": {t: {c: person.wants(t, c) for c in CHOOSABLE_CHANNELS} for t in OPTIONAL_TYPES},
        "email_mode": person.mode,
        "quiet_start": person.quiet_hours[0].strftime("%H:%M"),
        "quiet_end": person.quiet_hours[1].strftime("%H:%M"),
        "phone": stored.phone if stored else "",
    }
