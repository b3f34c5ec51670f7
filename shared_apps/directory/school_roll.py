"""What the directory reads of an establishment's own rows (its classes and the people in them): a
hook the school app fills at start-up (``SchoolConfig.ready()``), as it fills identity's
``local_members``. The directory never imports a tenant app (design brief §1).

Every method reads the current schema (the caller selects it with ``schema_context``).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class RollClass:
    """A class of the establishment, with its number of active students."""

    pk: int
    name: str
    level: str
    headcount: int = 0


class SchoolRoll(Protocol):
    def classes(self) -> list[RollClass]:
        """Every class, by level and name, with its headcount of active students."""

    def class_get(self, *, class_id: int) -> RollClass | None:
        """One class (its headcount is not counted), or None."""

    def class_students(self, *, class_id: int) -> list[tuple[int, str]]:
        """(user id, name) of the active students of a class, by name."""

    def members_with_roles(self, *, roles: Collection[str]) -> list[int]:
        """User ids of the active members holding one of these roles, by name."""

    def member_classes(self) -> dict[int, str]:
        """The class name of every member who has a class, by user id."""


_registered: list[SchoolRoll] = []


def school_roll_register(implementation: SchoolRoll) -> None:
    """Register the app that keeps the establishments' classes and people (one)."""
    _registered[:] = [implementation]


def school_roll() -> SchoolRoll:
    if not _registered:
        raise ImproperlyConfigured(
            "No installed app keeps the establishments' classes (the school app registers them)."
        )
    return _registered[0]
