"""The establishment's own rows of its people, as identity needs them: a hook the school app fills.

Each establishment's schema keeps a small row per person (the school app's ``Member``: the
region-wide user id, the name, the roles there, the class). Identity owns the public memberships
and keeps these rows in step, but never imports a tenant app (design brief §1): the school app
registers, at start-up (``SchoolConfig.ready()``), how the rows are written and read::

    from shared_apps.identity.local_members import local_members_register

    local_members_register(SchoolMembers())

Identity calls it inside the establishment's schema (``schema_context``) and inside the
transaction of the public write, so a membership and its local row never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class MemberRow:
    """What a person's local row holds, from their active memberships in the establishment."""

    user_id: int
    display_name: str
    roles: list[str]  # no role left: the row becomes inactive
    class_name: str | None = None  # None: keep the current class


class LocalClass(Protocol):
    """A class of the establishment, as a local row points at it."""

    @property
    def pk(self) -> Any: ...

    @property
    def name(self) -> str: ...

    @property
    def level(self) -> str: ...


class LocalMember(Protocol):
    """A person's local row (read-only here): tenant apps receive it back, e.g. in the family
    news providers, and may read the rest of it."""

    @property
    def pk(self) -> Any: ...

    @property
    def user_id(self) -> int: ...

    @property
    def school_class_id(self) -> Any: ...

    @property
    def school_class(self) -> LocalClass | None: ...


class LocalMembers(Protocol):
    """How an establishment's schema keeps its people (every method runs in the current schema)."""

    def member_write(self, *, row: MemberRow) -> None:
        """Create or update one person's row; a named class that does not exist sets none."""

    def members_write(self, *, rows: Sequence[MemberRow]) -> int:
        """Create or update many rows in a few queries (missing named classes are created);
        returns how many rows changed."""

    def members_deactivate(self, *, user_ids: Iterable[int]) -> None:
        """These people have no role here any more (their accounts are gone)."""

    def members_of(self, *, user_ids: Iterable[int]) -> Mapping[int, LocalMember]:
        """The rows of these people, with their class (one query)."""

    def class_exists(self, *, name: str) -> bool:
        """Whether the establishment has a class of this name."""


_registered: list[LocalMembers] = []


def local_members_register(implementation: LocalMembers) -> None:
    """Register the app that keeps the local rows (one; registering again replaces it)."""
    _registered[:] = [implementation]


def local_members() -> LocalMembers:
    """The registered implementation; without one, a membership cannot be kept in step."""
    if not _registered:
        raise ImproperlyConfigured(
            "No installed app keeps the establishments' member rows (the school app registers them)."
        )
    return _registered[0]
