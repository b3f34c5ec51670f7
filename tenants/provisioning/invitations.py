"""The first establishment administrator of a new establishment: found or created, then invited."""

from __future__ import annotations

import re

from django.conf import settings
from django.utils.translation import gettext_noop

from shared_apps.identity.models import User
from shared_apps.identity.roles import Role
from shared_apps.identity.services import membership_grant
from shared_apps.notify.service import notify
from shared_apps.notify.text import Text
from shared_apps.notify.types import NotificationType
from tenants.models import Establishment, ProvisioningJob


def _free_login(email: str) -> str:
    base = re.sub(r"[^a-z0-9._-]", "", email.split("@", 1)[0].lower()).strip("._-")[:56] or "admin"
    base = base if len(base) >= 2 else f"{base}0"
    login, suffix = base, 1
    while User.objects.filter(login=login).exists():
        suffix += 1
        login = f"{base}{suffix}"
    return login


def first_admin_invite(*, job: ProvisioningJob, establishment: Establishment, email: str) -> User:
    """Give the person with this e-mail (an existing account, or a new one without a password)
    the establishment admin role, and tell them by e-mail how to sign in."""
    found = User.objects.filter(email__iexact=email).order_by("pk").first()
    if found is None:
        user = User(login=_free_login(email), email=email, first_name="", last_name="")
        user.set_unusable_password()
        user.save()
    else:
        user = found
    membership_grant(
        actor=job.created_by, user=user, establishment=establishment, role=Role.ESTABLISHMENT_ADMIN
    )
    portal = f"https://{settings.MBN_BASE_DOMAIN}/"
    notify(
        actor=None,
        type=NotificationType.ADMINISTRATION,
        recipients=[user.pk],
        title=Text(gettext_noop("You administer %(name)s on MBN"), name=establishment.name),
        body=Text(
            gettext_noop(
                "You are now the administrator of %(name)s (UAI %(uai)s) on MBN, the region's "
                "digital workspace.\nYour login is: %(login)s\nSign in at %(portal)s — if you have no "
                'password yet, use "Forgotten password" with this e-mail address.'
            ),
            name=establishment.name,
            uai=establishment.uai,
            login=user.login,
            portal=portal,
        ),
        link="/",
        establishment=establishment,
        source=f"first-admin:{user.pk}",
    )
    return user
