"""Self-service profile: e-mail address, language, notification preferences.

Notification preferences are stored on ``User.notification_preferences`` as
``{topic: {channel: bool}}``; anything not set takes its default. The notifications module asks
``notification_wanted(user=..., topic=..., channel=...)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.errors import ValidationFailed
from shared_apps.identity.locks import identity_write_check
from shared_apps.identity.models import User
from tenants.requests import current_establishment

#: What the platform tells people about today: only topics that exist (a later app adds its own,
#: e.g. grades or messages, when it starts telling people about them).
TOPICS: dict[str, Any] = {
    "absences": gettext_lazy("Absences"),
    "timetable": gettext_lazy("Timetable changes"),
}
CHANNELS: dict[str, Any] = {
    "email": gettext_lazy("E-mail"),
    "in_app": gettext_lazy("In the application"),
}
DEFAULTS: dict[str, dict[str, bool]] = {topic: {"email": True, "in_app": True} for topic in TOPICS}


def notification_preferences_of(*, user: User) -> dict[str, dict[str, bool]]:
    """Every topic and channel, with the person's choice or the default."""
    stored = user.notification_preferences if isinstance(user.notification_preferences, dict) else {}
    return {
        topic: {
            channel: bool(stored.get(topic, {}).get(channel, default))
            if isinstance(stored.get(topic), dict)
            else default
            for channel, default in channels.items()
        }
        for topic, channels in DEFAULTS.items()
    }


def notification_wanted(*, user: User, topic: str, channel: str) -> bool:
    return notification_preferences_of(user=user).get(topic, {}).get(channel, False)


def _clean_preferences(value: Any) -> dict[str, dict[str, bool]]:
    """Validate ``{topic: {channel: bool}}`` (a partial update is fine); unknown keys are errors."""
    if not isinstance(value, Mapping):
        raise ValidationFailed(fields={"notification_preferences": [_("Expected an object.")]})
    errors: list[str] = []
    cleaned: dict[str, dict[str, bool]] = {}
    for topic, channels in value.items():
        if topic not in TOPICS:
            errors.append(_("Unknown topic: %(topic)s.") % {"topic": topic})
            continue
        if not isinstance(channels, Mapping):
            errors.append(_("%(topic)s: expected an object.") % {"topic": topic})
            continue
        for channel, wanted in channels.items():
            if channel not in CHANNELS:
                errors.append(_("Unknown channel: %(channel)s.") % {"channel": channel})
            elif not isinstance(wanted, bool):
                errors.append(
                    _("%(topic)s.%(channel)s: expected true or false.") % {"topic": topic, "channel": channel}
                )
            else:
                cleaned.setdefault(topic, {})[channel] = wanted
    if errors:
        raise ValidationFailed(fields={"notification_preferences": errors})
    return cleaned


@transaction.atomic
def profile_update(
    *,
    request: HttpRequest,
    user: User,
    email: str | None = None,
    language: str | None = None,
    notification_preferences: Any = None,
) -> User:
    """Change one's own e-mail address, language and/or notification preferences."""
    errors: dict[str, list[str]] = {}
    updates: dict[str, Any] = {}
    if email is not None:
        email = email.strip()
        try:
            if email:
                validate_email(email)
        except ValidationError:
            errors["email"] = [_("Enter a valid e-mail address.")]
        else:
            if email and User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
                errors["email"] = [_("This e-mail address cannot be used.")]
            elif email != user.email:
                updates["email"] = email
    if language is not None:
        if language not in dict(User._meta.get_field("language").choices or []):
            errors["language"] = [_("Choose one of the languages offered.")]
        elif language != user.language:
            updates["language"] = language
    if notification_preferences is not None:
        try:
            wanted = _clean_preferences(notification_preferences)
        except ValidationFailed as error:
            errors.update(error.fields)
        else:
            current = notification_preferences_of(user=user)
            merged = {topic: {**channels, **wanted.get(topic, {})} for topic, channels in current.items()}
            if merged != current:
                updates["notification_preferences"] = merged
    if errors:
        raise ValidationFailed(fields=errors)
    if "email" in updates:
        identity_write_check()
    if updates:
        for field, value in updates.items():
            setattr(user, field, value)
        try:
            with transaction.atomic():
                user.save(update_fields=list(updates))
        except IntegrityError as error:  # the same address saved concurrently by someone else
            raise ValidationFailed(fields={"email": [_("This e-mail address cannot be used.")]}) from error
        audit_record(
            actor=user,
            action="account.profile_updated",
            establishment=current_establishment(request),
            target=user,
            details={"fields": sorted(updates)},
            request=request,
        )
    return user
