"""What a signed-in request needs of a person, cached by their generation
(``mbn_platform.kernel.generations``): the account row (read by every request through the
authentication backend) and the establishment switcher's list. Signals bump the generation on
every saved or deleted account, membership, region role and guardian link; bulk writes call
``users_changed`` themselves (``services.py``, the directory's import).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from django.db.models.signals import post_delete, post_save

from mbn_platform.kernel.generations import (
    ESTABLISHMENTS,
    LocalEntries,
    generations_read,
    shared_get_or_compute,
    user_scope,
    users_changed,
)
from shared_apps.identity.models import GuardianLink, Membership, RegionRoleAssignment, User

SHARED_SECONDS = 60 * 60
_users: LocalEntries[User | None] = LocalEntries(size=2048)
_switchers: LocalEntries[tuple[SwitcherEntry, ...]] = LocalEntries(size=2048)


def user_cached(user_id: int) -> User | None:
    """The account row, as of the person's current generation: a copy of the process's entry (a
    request may change its ``request.user`` without touching the other requests')."""
    (generation,) = generations_read(user_scope(user_id))

    def load() -> User | None:
        return User.objects.filter(pk=user_id).first()

    def shared() -> User | None:
        return shared_get_or_compute(f"user:{user_id}:{generation}", load, SHARED_SECONDS)

    user = _users.get_or_compute((user_id, generation), shared)
    if user is None:
        return None
    if user.pk != user_id:
        raise RuntimeError("A cached account answered for another person.")
    return copy.copy(user)


@dataclass(frozen=True)
class SwitcherEntry:
    establishment_id: int
    name: str
    host: str
    #: Role values, in the order of the memberships (their labels are translated when shown).
    roles: tuple[str, ...]


def switcher_entries(*, user_id: int) -> tuple[SwitcherEntry, ...]:
    """The establishments a person may switch to (active memberships, with a primary host), by
    their generation and the establishments' (names and hosts change there)."""
    from shared_apps.identity.selectors import memberships_of

    generation, establishments = generations_read(user_scope(user_id), ESTABLISHMENTS)

    def load() -> tuple[SwitcherEntry, ...]:
        from tenants.selectors import establishment_primary_host

        seen: dict[int, SwitcherEntry] = {}
        for membership in memberships_of(user=User(pk=user_id)):
            est = membership.establishment
            host = establishment_primary_host(est)
            if host is None:
                continue
            entry = seen.get(est.pk) or SwitcherEntry(est.pk, est.name, host, ())
            seen[est.pk] = SwitcherEntry(est.pk, est.name, host, (*entry.roles, membership.role))
        return tuple(seen.values())

    def shared() -> tuple[SwitcherEntry, ...]:
        key = f"switcher:{user_id}:{generation}:{establishments}"
        return shared_get_or_compute(key, load, SHARED_SECONDS)

    return _switchers.get_or_compute((user_id, generation, establishments), shared)


def _user_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    if sender is User:
        users_changed([instance.pk])
    elif sender is GuardianLink:
        users_changed([instance.guardian_id, instance.child_id])
    else:
        users_changed([instance.user_id])


def signals_connect() -> None:
    for model in (User, Membership, RegionRoleAssignment, GuardianLink):
        post_save.connect(_user_changed, sender=model, dispatch_uid=f"mbn-generation-{model.__name__}")
        post_delete.connect(_user_changed, sender=model, dispatch_uid=f"mbn-generation-del-{model.__name__}")
