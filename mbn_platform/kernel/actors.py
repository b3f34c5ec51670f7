"""The person acting: one form for every write service.

Every service that writes takes ``actor=`` as a keyword argument, typed ``Actor | None``: the
region-wide account of the signed-in person (identity's ``User`` satisfies ``Actor``), or
``None`` when the platform itself acts (a scheduled task, a command, the demo seed). Services
pass it on, unchanged, to ``mbn_platform.kernel.audit.audit_record``, which records who did it
(and the support agent behind an impersonation). Tenant tables store the region-wide id
(``actor_id(actor)``), never a foreign key into the public schema.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.http import HttpRequest


class Actor(Protocol):
    """What services may rely on of the person acting."""

    pk: Any

    @property
    def is_authenticated(self) -> bool: ...


def actor_of(request: HttpRequest) -> Actor | None:
    """The signed-in person making the request, as services expect their ``actor=``."""
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def actor_id(actor: Actor | None) -> int | None:
    """The region-wide id of the person acting (None for the platform itself)."""
    if actor is None or not actor.is_authenticated:
        return None
    return int(actor.pk)
