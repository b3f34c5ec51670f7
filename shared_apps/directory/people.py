"""Creating the account of someone new to the region, with a role in an establishment and an
activation code (as an import does, for one person): its admins and head, their establishment
only. The code is e-mailed when an address is given, otherwise shown once, to be handed over."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.errors import ValidationFailed
from shared_apps.directory.activation_services import activation_codes_issue
from shared_apps.directory.activation_tasks import activation_emails_task
from shared_apps.directory.logins import logins_allocate
from shared_apps.identity.memberships import membership_admin_require, membership_role_check
from shared_apps.identity.models import Membership, User
from shared_apps.identity.services import membership_grant
from tenants.models import Establishment


@dataclass(frozen=True)
class PersonCreated:
    user: User
    membership: Membership
    emailed: bool  # the activation code goes by e-mail (sent once the transaction commits)
    code: str | None  # otherwise the code, to hand over: shown once, never stored in clear


def _person_errors(first: str, last: str, address: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, value in (("first_name", first), ("last_name", last)):
        if not value:
            errors[name] = [_("This field is required.")]
        elif len(value) > 150:
            errors[name] = [_("At most 150 characters.")]
    if address:
        try:
            validate_email(address)
        except DjangoValidationError:
            errors["email"] = [_("Enter a valid e-mail address.")]
        else:
            if User.objects.filter(email__iexact=address).exists():
                errors["email"] = [_("An account already uses this address: find the person by it instead.")]
    return errors


@transaction.atomic
def establishment_person_create(
    *,
    actor: Actor | None,
    establishment: Establishment,
    first_name: str,
    last_name: str,
    email: str = "",
    role: str,
    class_name: str | None = None,
) -> PersonCreated:
    """Create the account of someone new to the region, with a role here and an activation code:
    e-mailed when an address is given, otherwise returned to be handed over (like a letter)."""
    admin = membership_admin_require(actor=actor, establishment=establishment)
    first, last, address = first_name.strip(), last_name.strip(), email.strip()
    errors = _person_errors(first, last, address)
    if errors:
        raise ValidationFailed(fields=errors)
    class_to_set = membership_role_check(role=role, class_name=class_name, establishment=establishment)
    user = User(login=logins_allocate([(first, last)])[0], email=address, first_name=first, last_name=last)
    user.set_unusable_password()
    try:
        user.full_clean(exclude=["password"])
    except DjangoValidationError as error:
        raise ValidationFailed.from_django(error) from error
    user.save()
    audit_record(
        actor=admin,
        action="membership.person_created",
        establishment=establishment,
        target=user,
        details={"user_id": user.pk, "role": role},
    )
    membership = membership_grant(
        actor=admin, user=user, establishment=establishment, role=role, class_name=class_to_set
    )
    if address:
        establishment_id, user_id = establishment.pk, user.pk
        transaction.on_commit(
            lambda: activation_emails_task.apply_async(
                args=(establishment_id, [user_id]), queue=settings.CELERY_TASK_DEFAULT_QUEUE
            )
        )
        return PersonCreated(user=user, membership=membership, emailed=True, code=None)
    codes = activation_codes_issue(establishment=establishment, user_ids=[user.pk], channel="admin")
    return PersonCreated(user=user, membership=membership, emailed=False, code=codes[user.pk])
