"""A person changes their notification settings (page and API): one service, validated, audited."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_changes, audit_record
from mbn_platform.kernel.errors import ValidationFailed
from shared_apps.identity.models import User
from shared_apps.notifications.delivery.sms import PHONE_RE
from shared_apps.notifications.models import NotificationSettings
from shared_apps.notifications.preferences import CHOOSABLE_CHANNELS, preferences_of
from shared_apps.notify.types import OPTIONAL_TYPES, EmailMode


def _clean_types(value: Any) -> dict[str, dict[str, bool]]:
    if not isinstance(value, Mapping):
        raise ValidationFailed(fields={"types": [_("Expected an object.")]})
    errors: list[str] = []
    cleaned: dict[str, dict[str, bool]] = {}
    for type_, channels in value.items():
        if type_ not in OPTIONAL_TYPES:
            errors.append(_("Unknown notification type: %(type)s.") % {"type": str(type_)[:40]})
            continue
        if not isinstance(channels, Mapping):
            errors.append(_("Expected an object for %(type)s.") % {"type": type_})
            continue
        for channel, wanted in channels.items():
            if channel not in CHOOSABLE_CHANNELS or not isinstance(wanted, bool):
                errors.append(
                    _("Expected true or false for each of: %(channels)s.")
                    % {"channels": ", ".join(CHOOSABLE_CHANNELS)}
                )
                continue
            cleaned.setdefault(type_, {})[channel] = wanted
    if errors:
        raise ValidationFailed(fields={"types": errors})
    return cleaned


def _clean_phone(value: str) -> str:
    phone = "".join(value.split()).replace(".", "").replace("-", "")
    if phone.startswith("0") and len(phone) == 10:
        phone = "+33" + phone[1:]
    if phone and not PHONE_RE.match(phone):
        raise ValidationFailed(fields={"phone": [_("Enter a mobile number such as +33 6 12 34 56 78.")]})
    return phone


@transaction.atomic
def notification_settings_update(
    *,
    actor: Actor | None,
    user: User,
    types: Any = None,
    email_mode: str | None = None,
    quiet_start: datetime.time | None = None,
    quiet_end: datetime.time | None = None,
    phone: str | None = None,
) -> dict[str, Any]:
    """Change what is given (a partial update); returns every setting as ``preferences_of``."""
    before = preferences_of(user=user)
    settings_row, _created = NotificationSettings.objects.select_for_update().get_or_create(user=user)
    if types is not None:
        merged = dict(settings_row.channels or {})
        for type_, channels in _clean_types(types).items():
            merged[type_] = {**merged.get(type_, {}), **channels}
        settings_row.channels = merged
    if email_mode is not None:
        if email_mode not in EmailMode.values:
            raise ValidationFailed(
                fields={"email_mode": [_("Choose one e-mail per notification or the digest.")]}
            )
        settings_row.email_mode = email_mode
    if quiet_start is not None:
        settings_row.quiet_start = quiet_start
    if quiet_end is not None:
        settings_row.quiet_end = quiet_end
    if phone is not None:
        settings_row.phone = _clean_phone(phone)
    settings_row.save()
    after = preferences_of(user=user)
    changes = audit_changes(before, after)
    if changes:
        audit_record(actor=actor, action="notifications.preferences_updated", target=user, details=changes)
    return after
