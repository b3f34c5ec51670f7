"""Bad input for every route of a URLconf (walked as tests/test_view_declarations.py does):
garbage and NUL bytes in query parameters, form fields and path values. Used by the bad-input
tests of the schools' sites and of the portal."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.urls import get_resolver

from tests.test_view_declarations import _routes

NUL = "\x00"
GARBAGE = {
    "date": "31/02",
    "period": "x",
    "class": "y",
    "child": "z",
    "from": "q",
    "to": "r",
    "year": "s",
    "teacher": "t",
    "room": "u",
    "group": "v",
    "status": "w",
    "start": "a",
    "end": "b",
    "back": "//evil.example/",
}
#: Every parameter name the pages and APIs read, each holding a NUL byte or an out-of-range value.
PARAMETER_NAMES = sorted(
    {
        *GARBAGE,
        *("q", "actor", "action", "uai", "identifier", "login", "code", "page", "page_size", "mine"),
        *("role", "kind", "academie", "departement", "funder", "subject", "week", "day", "child_id"),
        *("guardian_id", "person", "person_id", "assignee", "request", "token", "next", "email"),
        *("name", "capacity", "category", "topic", "cursor", "format", "lesson", "student", "user"),
    }
)
NUL_INPUT = dict.fromkeys(PARAMETER_NAMES, f"x{NUL}y")
HUGE_INPUT = {name: str(2**70) for name in PARAMETER_NAMES} | {"date": "9999-12-31", "from": "0001-01-01"}


#: ``<int:pk>`` routes name their kind by the folder before the id (``structure/rooms/<pk>/``).
PK_KINDS = {
    "years": "year_id",
    "periods": "period_id",
    "subjects": "subject_id",
    "rooms": "room_id",
    "classes": "class_id",
    "groups": "group_id",
    "assignments": "assignment_id",
}


#: An id no column holds (beyond PostgreSQL's bigint).
HUGE_ID = 2**70


def _fill(match: re.Match[str], route: str, known: dict[str, int], missing: int) -> str:
    name = match.group(1)
    if name == "pk":
        folder = route[: match.start()].rstrip("/").rsplit("/", 1)[-1]
        name = PK_KINDS.get(folder, name)
    return str(known.get(name, missing))


def route_paths(
    urlconf: str,
    *,
    ids: dict[str, int] | None = None,
    day: str = "2026-13-45",
    text: str = "nope",
    missing: int = 999999,
) -> list[str]:
    """Every route of the URLconf but Django's admin site, its ``<int:…>`` values from ``ids``
    (``missing`` for the others), its ``<str:…>``/``<path:…>`` values ``text`` (``day`` for days)."""
    known = ids or {}
    paths = []
    for route, _view in _routes(get_resolver(urlconf).url_patterns):
        if route.startswith("admin/"):
            continue
        route = re.sub(r"<int:([a-z_]+)>", lambda m, r=route: _fill(m, r, known, missing), route)  # type: ignore[misc]
        route = re.sub(r"<str:day>", day, route)
        route = re.sub(r"<(?:str|path|slug):[^>]+>", text, route)
        paths.append("/" + route)
    return paths


def last(paths: Iterable[str], *ending: str) -> list[str]:
    """The paths, those ending with one of ``ending`` (signing out, say) at the end."""
    ordered = list(paths)
    return [p for p in ordered if not p.endswith(ending)] + [p for p in ordered if p.endswith(ending)]
