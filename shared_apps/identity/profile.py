"""Self-service profile: e-mail address and language.

Notification preferences are the notification service's (``shared_apps.notifications``: the
page ``/notifications/preferences/`` and ``/api/v1/notifications/preferences/``), read by every
sender. ``User.notification_preferences`` is no longer read (carried over by a migration; to be
dropped once every schema runs this version).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.errors import ValidationFailed
from shared_apps.identity.locks import identity_write_check
from shared_apps.identity.models import User
from tenants.requests import current_establishment


@transaction.atomic
def profile_update(
    *,
    request: HttpRequest,
    user: User,
    email: str | None = None,
    language: str | None = None,
) -> User:
    """Change one's own e-mail address and/or language."""
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
