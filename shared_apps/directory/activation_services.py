"""Activation of imported accounts: one-time codes (hashed at rest), e-mails, letters, activation.

An imported person has no usable password. They get a code, by e-mail where an address is known
(right after the import) or on a printed letter (per class, or for the staff); with their login
and the code they set their password at ``/accounts/activate/`` on any host. Issuing a code
revokes the previous one: the last letter or e-mail is the one that works.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tenants.utils import schema_context

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import ValidationFailed
from shared_apps.directory.letters import Letter, letters_render
from shared_apps.directory.models import ActivationCode
from shared_apps.directory.school_roll import school_roll
from shared_apps.identity.local_members import LocalClass
from shared_apps.identity.models import GuardianLink, Membership, MembershipStatus, User
from shared_apps.identity.roles import STAFF_ROLES, Role
from shared_apps.notify.service import Notice, notify_each
from shared_apps.notify.text import Text
from shared_apps.notify.types import NotificationType
from tenants.models import Establishment

logger = logging.getLogger(__name__)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by hand
CODE_LIFETIME = timedelta(days=60)
MAX_FAILED_ATTEMPTS = 10


def code_generate() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def code_hash(code: str) -> str:
    normalized = re.sub(r"[^A-Z0-9]", "", code.upper())
    return salted_hmac("mbn.directory.activation", normalized, algorithm="sha256").hexdigest()


def activation_url(establishment: Establishment | None) -> str:
    from tenants.selectors import establishment_absolute_url

    return establishment_absolute_url(establishment, "/accounts/activate/")


def _pending(user_ids: Iterable[int]) -> Q:
    """People who never set a password (imported, not activated)."""
    return Q(pk__in=set(user_ids), is_active=True, password__startswith=UNUSABLE_PASSWORD_PREFIX)


@transaction.atomic
def activation_codes_issue(
    *, establishment: Establishment | None, user_ids: Iterable[int], channel: str
) -> dict[int, str]:
    """New codes for these people (their previous codes stop working). Returns the clear codes,
    which are never stored."""
    ids = sorted(set(user_ids))
    now = timezone.now()
    ActivationCode.objects.filter(user_id__in=ids, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    codes = {user_id: code_generate() for user_id in ids}
    ActivationCode.objects.bulk_create(
        [
            ActivationCode(
                user_id=user_id,
                establishment=establishment,
                code_hash=code_hash(code),
                channel=channel,
                expires_at=now + CODE_LIFETIME,
            )
            for user_id, code in codes.items()
        ],
        batch_size=1000,
    )
    return codes


def activation_emails_send(*, establishment: Establishment, user_ids: Iterable[int]) -> int:
    """E-mail a code to each person with an address who has neither a password nor a valid code.

    Idempotent (a second call sends nothing). Returns how many e-mails were sent.
    """
    now = timezone.now()
    has_code = ActivationCode.objects.filter(
        used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ).values("user_id")
    people = list(
        User.objects.filter(_pending(user_ids))
        .exclude(email="")
        .exclude(pk__in=has_code)
        .values("pk", "login", "email", "first_name", "language")
    )
    if not people:
        return 0
    codes = activation_codes_issue(
        establishment=establishment, user_ids=[p["pk"] for p in people], channel="email"
    )
    url = activation_url(establishment)
    notices = [
        Notice(
            recipient=person["pk"],
            title=Text(gettext_noop("Activate your account at %(school)s"), school=establishment.name),
            body=Text(
                gettext_noop(
                    "An account was created for you on the region's digital workspace.\n"
                    "Your login: %(login)s\nYour activation code: %(code)s\n\n"
                    "Choose your password with the link below. The code is valid for 60 days."
                ),
                login=person["login"],
                code=codes[person["pk"]],
            ),
            link=f"{url}?login={person['login']}&code={codes[person['pk']]}",
        )
        for person in people
    ]
    try:
        sent = notify_each(
            actor=None, type=NotificationType.ACCOUNT, notices=notices, establishment=establishment
        )
    except Exception:
        # Not sent: revoke the codes, so that a later call (or a letter) issues new ones.
        ActivationCode.objects.filter(
            user_id__in=list(codes), revoked_at__isnull=True, used_at__isnull=True
        ).update(revoked_at=timezone.now())
        raise
    return sent


def _letters_people(establishment: Establishment, school_class: LocalClass | None) -> list[tuple[int, str]]:
    """(user id, "for whom") of the people a letter batch is for, in print order."""
    with schema_context(establishment.schema_name):
        if school_class is None:
            return [(user_id, _("Staff")) for user_id in school_roll().members_with_roles(roles=STAFF_ROLES)]
        students = school_roll().class_students(class_id=school_class.pk)
    guardians_here = Membership.objects.filter(
        establishment=establishment, role=Role.GUARDIAN, status=MembershipStatus.ACTIVE
    ).values("user_id")
    guardians: dict[int, list[int]] = {}
    for guardian_id, child_id in GuardianLink.objects.filter(
        child_id__in=[s[0] for s in students], guardian_id__in=guardians_here
    ).values_list("guardian_id", "child_id"):
        guardians.setdefault(child_id, []).append(guardian_id)
    people: list[tuple[int, str]] = []
    for user_id, name in students:
        people.append((user_id, _("Student of class %(class)s") % {"class": school_class.name}))
        people.extend(
            (g, _("Guardian of %(child)s") % {"child": name}) for g in sorted(guardians.get(user_id, []))
        )
    return people


def activation_letters_pdf(
    *, establishment: Establishment, school_class: LocalClass | None, actor: Actor | None = None
) -> bytes:
    """Printable letters (a PDF, one page a person) for the students of a class and their
    guardians, or for the staff (``school_class=None``), who have not activated their account yet.
    Each letter carries a new code: the previous codes of these people stop working."""
    wanted = _letters_people(establishment, school_class)
    pending = dict(
        User.objects.filter(_pending(user_id for user_id, _for in wanted)).values_list("pk", "login")
    )
    names = {
        user.pk: user.display_name
        for user in User.objects.filter(pk__in=pending).only("pk", "login", "first_name", "last_name")
    }
    seen: set[int] = set()
    order = []
    for user_id, for_whom in wanted:
        if user_id in pending and user_id not in seen:
            seen.add(user_id)
            order.append((user_id, for_whom))
    with transaction.atomic():
        codes = activation_codes_issue(establishment=establishment, user_ids=pending, channel="letter")
        expires = timezone.localdate() + CODE_LIFETIME
        letters = [
            Letter(
                name=names[user_id],
                for_whom=for_whom,
                login=pending[user_id],
                code=codes[user_id],
                expires=expires,
            )
            for user_id, for_whom in order
        ]
        pdf = letters_render(school=establishment.name, url=activation_url(establishment), letters=letters)
        audit_record(
            actor=actor,
            action="directory.activation_letters",
            establishment=establishment,
            details={"class": school_class.name if school_class else None, "letters": len(letters)},
        )
    return pdf


def account_activate(*, login: str, code: str, password: str, request: HttpRequest | None = None) -> User:
    """Set the first password of an imported account with its activation code (once)."""
    invalid = ValidationFailed(
        _("This login and code do not match an account waiting for activation."),
        code=ErrorCode.ACTIVATION_INVALID,
        fields={"code": [_("Check the login and the code on your letter or e-mail.")]},
    )
    user = User.objects.filter(login=login.strip().lower(), is_active=True).first()
    if user is None or not code.strip():
        raise invalid
    hashed = code_hash(code)
    active = ActivationCode.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).first()
    if active is None or not constant_time_compare(active.code_hash, hashed):
        if active is not None:
            attempts = active.failed_attempts + 1
            ActivationCode.objects.filter(pk=active.pk).update(
                failed_attempts=F("failed_attempts") + 1,
                revoked_at=timezone.now() if attempts >= MAX_FAILED_ATTEMPTS else None,
            )
        if ActivationCode.objects.filter(user=user, code_hash=hashed, used_at__isnull=False).exists():
            raise ValidationFailed(
                _("This code was already used: sign in with your password."),
                code=ErrorCode.ACTIVATION_USED,
                fields={"code": [_("This code was already used.")]},
            )
        raise invalid
    if active.expires_at <= timezone.now():
        raise ValidationFailed(
            _("This code has expired: ask your establishment for a new one."),
            code=ErrorCode.ACTIVATION_EXPIRED,
            fields={"code": [_("This code has expired.")]},
        )
    try:
        validate_password(password, user)
    except DjangoValidationError as error:
        raise ValidationFailed(fields={"password": list(error.messages)}) from error
    with transaction.atomic():
        if not ActivationCode.objects.filter(
            pk=active.pk, used_at__isnull=True, revoked_at__isnull=True
        ).update(used_at=timezone.now()):
            raise invalid  # used by a concurrent request
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(
            actor=user,
            action="auth.account_activated",
            establishment=active.establishment,
            target=user,
            details={"channel": active.channel},
            request=request,
        )
    return user


def activation_status(*, user_ids: Iterable[int]) -> dict[str, Any]:
    """How many of these people are still waiting to activate their account."""
    ids = set(user_ids)
    return {"total": len(ids), "pending": User.objects.filter(_pending(ids)).count()}
