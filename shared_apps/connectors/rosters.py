"""What the connectors read of an establishment's classes and groups: a hook the structure app
fills at start-up (``StructureConfig.ready()``); the connectors never import a tenant app.

Every method runs inside the establishment's schema (the caller selects it with
``schema_context``) and answers in a fixed number of queries. Used by the LTI launches (the class
as context, the names and roles service) and by the GAR's nightly export.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class RosterClass:
    pk: int
    name: str  # "4e B"
    level: str  # "4e"


@dataclass(frozen=True)
class RosterMember:
    """A person of a class: ``role`` is "student" (in the class) or "teacher" (teaches it)."""

    user_id: int
    role: str


@dataclass(frozen=True)
class RosterGroup:
    pk: int
    name: str
    class_ids: tuple[int, ...] = ()  # the classes its students come from


@dataclass(frozen=True)
class RosterStructure:
    """The whole establishment, for the GAR's export."""

    classes: list[RosterClass] = field(default_factory=list)
    groups: list[RosterGroup] = field(default_factory=list)
    class_of: dict[int, int] = field(default_factory=dict)  # student's user id → class id
    group_members: list[tuple[int, int]] = field(default_factory=list)  # (user id, group id)
    # (teacher's user id, class id or None, group id or None, subject code)
    teachings: list[tuple[int, int | None, int | None, str]] = field(default_factory=list)


class SchoolRoster(Protocol):
    def class_get(self, *, class_id: int) -> RosterClass | None:
        """The class, or None when it does not exist here."""

    def class_members(self, *, class_id: int) -> list[RosterMember]:
        """Its students and the teachers who teach it (one row per person and role)."""

    def classes_of(self, *, user_id: int, all_classes: bool = False) -> list[RosterClass]:
        """The classes a person may launch a tool from: theirs (student) or those they teach;
        every class when ``all_classes`` (the establishment's leaders)."""

    def structure(self) -> RosterStructure:
        """Classes, groups, who is in them and who teaches them."""


_registered: list[SchoolRoster] = []


def school_roster_register(roster: SchoolRoster) -> None:
    """Register the app that keeps the establishments' classes and groups (one)."""
    _registered[:] = [roster]


def school_roster() -> SchoolRoster:
    if not _registered:
        raise ImproperlyConfigured("No school roster registered (the structure app is not installed).")
    return _registered[0]
