"""The one function every write calls to leave an audit row (as Zulip's ``RealmAuditLog``).

``audit_record`` works out who acted (the support agent behind an impersonation included) and
hands the entry to the recorder the audit app registers at start-up
(``shared_apps.audit.apps``), which appends it to the log in the caller's transaction. The
kernel imports no app: it knows the entry's facts, not its table.

Corrections record what changed, before → after: ``audit_changes(before, after)``; what was
created or deleted, its values: ``audit_values(values)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.http import HttpRequest

from mbn_platform.kernel.actors import Actor, actor_id
from mbn_platform.kernel.logging import request_id_var

# Set by the impersonation middleware while a support agent acts as another person:
# (agent id, person id). What is recorded as done by that person names the agent as actor and
# the person in ``acting_as_id``.
acting_agent_var: ContextVar[tuple[int, int] | None] = ContextVar("mbn_acting_agent", default=None)


@dataclass(frozen=True)
class AuditFacts:
    """One entry of the audit log, as the recorder receives it."""

    action: str
    actor_id: int | None
    acting_as_id: int | None
    establishment_id: int | None
    target_type: str
    target_id: str
    details: dict[str, Any] = field(default_factory=dict)
    ip_address: str | None = None
    request_id: str = ""


Recorder = Callable[[AuditFacts], Any]
_recorder: list[Recorder] = []


def audit_recorder_register(recorder: Recorder) -> None:
    """Plug in where entries are written (the audit app, in its ``AppConfig.ready``)."""
    _recorder[:] = [recorder]


def audit_record(
    *,
    actor: Actor | None,
    action: str,
    establishment: models.Model | None = None,
    target: models.Model | None = None,
    details: Mapping[str, Any] | None = None,
    request: HttpRequest | None = None,
    acting_as_id: int | None = None,
) -> Any:
    """Append one entry to the audit log (in the caller's transaction); returns the entry."""
    if not _recorder:
        raise RuntimeError("No audit recorder registered (the audit app registers it at start-up).")
    who = actor_id(actor)
    acting = acting_agent_var.get()
    if acting is not None and who == acting[1]:
        who, acting_as_id = acting
    request_id = request_id_var.get()
    return _recorder[0](
        AuditFacts(
            action=action,
            actor_id=who,
            acting_as_id=acting_as_id,
            establishment_id=getattr(establishment, "pk", None),
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            details=dict(details or {}),
            ip_address=request.META.get("REMOTE_ADDR") if request is not None else None,
            request_id=request_id if request_id != "-" else "",
        )
    )


def audit_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """What a correction changed: ``{field: {"from": old, "to": new}}`` for the fields that differ
    (values as JSON-friendly strings where they are not plain numbers, booleans or None)."""
    return {
        name: {"from": _plain(before.get(name)), "to": _plain(value)}
        for name, value in after.items()
        if before.get(name) != value
    }


def audit_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Values as an entry's details keep them (JSON-friendly, as ``audit_changes`` writes them)."""
    return {name: _plain(value) for name, value in values.items()}


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item) for item in value]
    return str(value)
