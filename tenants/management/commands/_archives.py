"""What the establishment_export/offboard/restore commands share (not a command: leading underscore)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from mbn_platform.kernel.errors import ApplicationError
from shared_apps.identity.models import User
from tenants.models import Establishment
from tenants.uai import uai_normalize


def add_actor_argument(parser: Any) -> None:
    parser.add_argument(
        "--actor", metavar="LOGIN", default="", help="The operator's login, recorded in the audit log."
    )


def actor_from(options: dict[str, Any]) -> User | None:
    login = str(options.get("actor") or "").strip().lower()
    if not login:
        return None
    user = User.objects.filter(login=login).first()
    if user is None:
        raise CommandError(f"No user with login {login!r}.")
    return user


def establishment_from(uai: str) -> Establishment:
    establishment = Establishment.objects.filter(uai=uai_normalize(uai)).first()
    if establishment is None:
        raise CommandError(f"No establishment with UAI {uai}.")
    return establishment


def command_error(error: ApplicationError) -> CommandError:
    """The error's message and its fields, on one line (no traceback for bad input)."""
    details = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.fields.items())
    return CommandError(f"{error.message} ({details})" if details else error.message)
