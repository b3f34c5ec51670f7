"""Generation counters: per-request data cached across requests and processes, and still
forgotten at once when it changes.

A generation is a number in the shared ("platform") cache, one per thing whose change every web
process must see on its next request:

- ``user:<id>``: a person's account, memberships and roles, guardian links; read by every
  signed-in request, so a process keeps the number it read for
  ``settings.MBN_PEOPLE_HOLD_SECONDS`` (1 s: a revoked role or membership reaches the other
  processes within that second; the process that made the change sees it at once);
- ``establishments``: the region's establishments and their domains (names, statuses, hosts);
  read by every request before anything else, so a process keeps the number it read for
  ``settings.MBN_ESTABLISHMENTS_HOLD_SECONDS`` (1 s, likewise).

Cached data is keyed by the generations it was computed from. The code that changes a thing
bumps its generation (at once, and again when the transaction commits, so that a request that
read the old rows between the two cannot keep them), and the next request of any process reads
the new number, misses every entry of the old one and recomputes. A request reads each
generation once (``generations_read`` memoizes them in the request's context); entries keyed by
generations may then live in the process's memory (``LocalEntries``), costing no round trip.

A generation missing from the cache (first use, eviction) starts at the current time in
nanoseconds, never at a number an older entry was keyed with. Without a cache shared by the
processes (``settings.MBN_SHARED_CACHE`` false: no Redis) a bump could not reach the other
processes: every request then gets generations of its own, and nothing outlives it.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import transaction

T = TypeVar("T")

ESTABLISHMENTS = "establishments"
#: Numbers a process keeps for a moment instead of reading them on every request (scope →
#: (until, number)): the establishments' and people's (``_hold_seconds``). At most ``HELD_MAX``
#: people's: past that, the expired ones are dropped.
_held: dict[str, tuple[float, int]] = {}
HELD_MAX = 10_000

#: The generations read by the current request (None outside a request: always read afresh).
_request_generations: ContextVar[dict[str, int] | None] = ContextVar("mbn_generations", default=None)


@dataclass
class Reads:
    """What a piece of work read, as generation scopes (the generations it was keyed by, the
    establishment tables it queried: ``table_reads.py``), and whether it wrote anything."""

    scopes: set[str] = field(default_factory=set)
    wrote: bool = False


_reads: ContextVar[Reads | None] = ContextVar("mbn_reads", default=None)


@contextmanager
def reads_recorded() -> Iterator[Reads]:
    """Record what is read until the block ends (a nested block adds to the outer one)."""
    reads = Reads()
    token = _reads.set(reads)
    try:
        yield reads
    finally:
        _reads.reset(token)
        outer = _reads.get()
        if outer is not None:
            outer.scopes |= reads.scopes
            outer.wrote |= reads.wrote


@contextmanager
def reads_unrecorded() -> Iterator[None]:
    """Record nothing of what is read in the block (a value held under a generation of its own,
    declared instead: ``scopes_declare``)."""
    token = _reads.set(None)
    try:
        yield
    finally:
        _reads.reset(token)


def scopes_declare(scopes: Iterable[str]) -> None:
    """Count these as read by the work in progress (a value served from a cache: the tables it
    was computed from)."""
    reads = _reads.get()
    if reads is not None:
        reads.scopes.update(scopes)


def user_scope(user_id: int) -> str:
    return f"user:{user_id}"


def _cache() -> BaseCache:
    # Region-wide: no schema prefix, the same key from the portal, every school and the workers.
    return caches["platform"]


def _key(scope: str) -> str:
    return f"gen:{scope}"


def generations_request_start() -> None:
    """A new request: generations are read afresh (called first thing by the request middleware)."""
    _request_generations.set({})


def generations_request_end() -> None:
    _request_generations.set(None)


def generations_forget_held() -> None:
    """Read every generation afresh on the next request (tests: "another process" bumped)."""
    _held.clear()


def _hold_seconds(scope: str) -> float:
    if scope == ESTABLISHMENTS:
        return float(settings.MBN_ESTABLISHMENTS_HOLD_SECONDS)
    if scope.startswith("user:"):
        return float(settings.MBN_PEOPLE_HOLD_SECONDS)
    return 0.0


def _hold(scope: str, value: int, now: float) -> None:
    seconds = _hold_seconds(scope)
    if seconds <= 0:
        return
    if len(_held) >= HELD_MAX:
        for expired in [key for key, (until, _) in list(_held.items()) if until <= now]:
            _held.pop(expired, None)
        if len(_held) >= HELD_MAX:
            _held.clear()
    _held[scope] = (now + seconds, value)


def generations_read(*scopes: str) -> tuple[int, ...]:
    """The current generation of each scope, in one cache round trip for those not read yet by
    this request."""
    scopes_declare(scopes)
    memo = _request_generations.get()
    if memo is None:
        values = _fetch(scopes)
        return tuple(values[scope] for scope in scopes)
    missing = [scope for scope in scopes if scope not in memo]
    if missing:
        memo.update(_fetch(missing))
    return tuple(memo[scope] for scope in scopes)


def _fetch(scopes: Iterable[str]) -> dict[str, int]:
    if not settings.MBN_SHARED_CACHE:
        return {scope: time.time_ns() for scope in scopes}
    now = time.monotonic()
    values: dict[str, int] = {}
    for scope in scopes:
        held = _held.get(scope)
        if held is not None and held[0] > now:
            values[scope] = held[1]
    to_read = [scope for scope in scopes if scope not in values]
    if not to_read:
        return values
    cache = _cache()
    found = cache.get_many([_key(scope) for scope in to_read])
    for scope in to_read:
        value = found.get(_key(scope))
        if not isinstance(value, int):
            cache.add(_key(scope), time.time_ns(), timeout=None)
            value = cache.get(_key(scope))
            value = value if isinstance(value, int) else time.time_ns()
        values[scope] = value
        _hold(scope, value, now)
    return values


def _bump_now(scopes: Iterable[str]) -> None:
    cache = _cache()
    memo = _request_generations.get()
    for scope in scopes:
        try:
            cache.incr(_key(scope))
        except ValueError:  # never read yet, or evicted: start past any number used before
            cache.set(_key(scope), time.time_ns(), timeout=None)
        if memo is not None:
            memo.pop(scope, None)
        _held.pop(scope, None)


def generation_bump(*scopes: str) -> None:
    """Forget every entry computed from these scopes, on every process: now, and again when the
    current transaction commits (a no-op outside a transaction)."""
    if not scopes:
        return
    _bump_now(scopes)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump_now(scopes))


def users_changed(user_ids: Iterable[int]) -> None:
    """Bump the generation of each of these people (account, memberships, roles, links)."""
    generation_bump(*(user_scope(user_id) for user_id in sorted(set(user_ids))))


class LocalEntries(Generic[T]):
    """A bounded map in the process's memory (least recently used entries dropped first), for
    values keyed by the generations they were computed from: an entry is never invalidated, it
    is simply not asked for again once a generation moved on."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, T] = OrderedDict()

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = compute()
        self.put(key, value)
        return value

    def get(self, key: Hashable) -> T | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: Hashable, value: T) -> None:
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


def shared_get_or_compute(key: str, compute: Callable[[], T], timeout: int) -> T:
    """A value in the shared cache (``key`` must name the generations it depends on), computed
    and stored on a miss: what one process computed, the others reuse."""
    cache = _cache()
    sentinel = object()
    value = cache.get(key, sentinel)
    if value is sentinel:
        value = compute()
        cache.set(key, value, timeout)
    return value
