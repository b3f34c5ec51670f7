"""The unread count shown in the header on every host, cached per person (region-wide key).

Counting reads one query per establishment of the person (their centre is spread over the
schemas); the count is kept a minute and forgotten whenever a notification reaches the person
or they read one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.cache import caches

from mbn_platform.kernel.generations import generation_bump, scopes_declare

UNREAD_SECONDS = 60
_counter: list[Callable[[int], int]] = []


def _key(user_id: int) -> str:
    return f"notif-unread:{user_id}"


def unread_counter_register(counter: Callable[[int], int]) -> None:
    """Plug in how a person's unread notifications are counted (the tenant app's centre)."""
    _counter[:] = [counter]


def _scope(user_id: int) -> str:
    return f"unread:{user_id}"


def unread_count(*, user_id: int) -> int:
    # A page held with the count (kernel/held_pages.py) is rendered again when it is forgotten.
    scopes_declare((_scope(user_id),))
    cache = caches["platform"]
    found = cache.get(_key(user_id))
    if found is None:
        found = _counter[0](user_id) if _counter else 0
        cache.set(_key(user_id), found, UNREAD_SECONDS)
    return int(found)


def unread_forget(*, user_ids: Iterable[int]) -> None:
    user_ids = list(user_ids)
    caches["platform"].delete_many([_key(pk) for pk in user_ids])
    generation_bump(*(_scope(pk) for pk in user_ids))
