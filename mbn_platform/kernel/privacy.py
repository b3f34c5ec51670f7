"""Each app declares what it holds about people, once: the records of processing (registre des
traitements), the right-of-access export and the retention purge are all generated from it.

An app registers its declarations at start-up (``AppConfig.ready``), public and tenant apps alike
(the kernel imports no app: a declaration is data and a few functions)::

    privacy_register(Processing(key="attendance.absences", scope=ESTABLISHMENT, ...))

``scope``: ``REGION`` (public schema) or ``ESTABLISHMENT`` (run in each establishment's schema).
``export(user_ids)`` returns what is held about these people (the subject of an access request);
``purge(now)`` removes what its retention period has passed and returns how many items went;
``erase(user_ids)`` removes or pseudonymises what remains of people whose account is purged.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

REGION = "region"
ESTABLISHMENT = "establishment"


@dataclass(frozen=True)
class ExportPart:
    """One table of an access export (a JSON file in the archive) and the person's files."""

    name: str
    rows: list[dict[str, Any]]
    files: list[tuple[str, bytes]] = field(default_factory=list)


@dataclass(frozen=True)
class Processing:
    key: str
    name: Any
    purpose: Any
    legal_basis: Any
    data: Sequence[Any]
    people: Sequence[Any]
    recipients: Sequence[Any]
    retention: Any
    scope: str = REGION
    export: Callable[[frozenset[int]], Iterable[ExportPart]] | None = None
    purge: Callable[[datetime.datetime], int] | None = None
    erase: Callable[[frozenset[int]], int] | None = None


_declarations: dict[str, Processing] = {}


def privacy_register(processing: Processing) -> None:
    """Declare a processing (registering the same key again replaces it)."""
    if processing.scope not in (REGION, ESTABLISHMENT):
        raise ValueError(f"scope must be {REGION!r} or {ESTABLISHMENT!r}")
    _declarations[processing.key] = processing


def privacy_declarations(*, scope: str | None = None) -> list[Processing]:
    """Every declaration (of one scope), in the order of their keys."""
    return [p for key, p in sorted(_declarations.items()) if scope is None or p.scope == scope]
