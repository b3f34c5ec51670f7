"""The help page's request form, for people who cannot sign in ("I cannot sign in" must reach
someone). Open to anyone, so limited: a few requests per address and hour (``SUPPORT_CONTACT_PER_HOUR``),
bounded sizes, and a field people never see (a form filled in by a robot is dropped quietly).
No outside CAPTCHA service: nothing of the visitor is sent elsewhere.

The request goes to the establishment it names (its digital referents first) or, without one, to
the region's support agents; the answer is e-mailed to the address given.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import ApplicationError, ValidationFailed
from shared_apps.identity.lockout import client_ip
from shared_apps.support.models import SupportRequest, SupportTopic
from tenants.models import Establishment

WINDOW_SECONDS = 60 * 60


class TooManyRequests(ApplicationError):
    status = 429
    code = ErrorCode.TOO_MANY_REQUESTS


def _throttle(request: HttpRequest) -> None:
    """At most ``SUPPORT_CONTACT_PER_HOUR`` requests an hour from one address."""
    cache = caches["platform"]
    key = f"support-contact:{client_ip(request) or 'unknown'}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    if count > int(getattr(settings, "SUPPORT_CONTACT_PER_HOUR", 5)):
        raise TooManyRequests(_("Too many requests from your connection: try again in an hour."))


@transaction.atomic
def support_contact_create(
    *,
    request: HttpRequest,
    establishment: Establishment | None,
    name: str,
    email: str,
    topic: str,
    subject: str,
    description: str,
) -> SupportRequest:
    """A request from someone not signed in, to be answered at the address they give."""
    _throttle(request)
    name, email, subject, description = (v.strip() for v in (name, email, subject, description))
    errors: dict[str, list[str]] = {}
    if not 2 <= len(name) <= 150:
        errors["name"] = [_("Your name (2 to 150 characters).")]
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("An e-mail address where we can answer you.")]
    if topic not in SupportTopic.values:
        errors["topic"] = [_("Choose what it is about.")]
    if not 3 <= len(subject) <= 200:
        errors["subject"] = [_("A subject of 3 to 200 characters.")]
    if not description or len(description) > 5000:
        errors["description"] = [_("Describe the problem (at most 5000 characters).")]
    if errors:
        raise ValidationFailed(fields=errors)
    support_request = SupportRequest.objects.create(
        establishment=establishment,
        requester=None,
        contact_name=name,
        contact_email=email,
        topic=topic,
        subject=subject,
        description=description,
    )
    audit_record(
        actor=None,
        action="support.contact_received",
        establishment=establishment,
        target=support_request,
        details={"topic": topic},
        request=request,
    )
    return support_request
