"""Helpers of the support tests: agents, operators, a client in an impersonation."""

from __future__ import annotations

import json
import re

from django.test import Client

from shared_apps.audit.models import AuditEntry
from shared_apps.identity.models import RegionRoleAssignment, User
from shared_apps.identity.roles import RegionRole
from shared_apps.support.impersonation import SESSION_KEY, impersonation_start
from shared_apps.support.models import Impersonation
from tenants.models import Establishment
from tests.conftest import client_for
from tests.factories import UserFactory

REASON = "The person cannot find their timetable."


def with_region_role(role: str, **fields: object) -> User:
    user = UserFactory(**fields)
    RegionRoleAssignment.objects.create(user=user, role=role)
    return user


def support_agent(**fields: object) -> User:
    return with_region_role(RegionRole.SUPPORT, **fields)


def operator(**fields: object) -> User:
    return with_region_role(RegionRole.REGION_OPERATOR, **fields)


def start(agent: User, target: User, establishment: Establishment, **options: object) -> Impersonation:
    options.setdefault("reason", REASON)
    return impersonation_start(actor=agent, target=target, establishment=establishment, **options)  # type: ignore[arg-type]


def impersonating_client(
    agent: User, impersonation: Impersonation, *, api: bool = False, second_factor: bool = True
) -> Client:
    """The agent's (verified) session on the establishment's host, in the impersonation."""
    client = client_for(agent, impersonation.establishment, api=api, second_factor=second_factor)
    session = client.session
    session[SESSION_KEY] = impersonation.pk
    session.save()
    return client


def error_code(response) -> str:
    """The error code of an API answer, or of an error page (its ``data-code``/message)."""
    if response["Content-Type"].startswith("application/json"):
        return json.loads(response.content)["error"]["code"]
    return ""


def entries(action: str, **filters: object) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, **filters).order_by("pk"))


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
