"""The Redis cache as the platform uses it: a cache, never a store. When Redis cannot be reached
(restarting, failing over, a network split) every read is a miss and every write is dropped, so
pages compute what they need and sessions fall back to PostgreSQL (``cached_db`` writes them
there first); nothing answers 500 because the cache is away. After a failure the process leaves
Redis alone for ``PAUSE_SECONDS`` (a request does not wait on each of its cache calls), then tries
again: a restarted Redis is used again within that time, empty (docs/operations.md).

What is lost meanwhile: a generation bump (``kernel/generations.py``) made during the outage does
not reach a Redis that kept its data through a split, so a cached entry may be served until its
timeout; a Redis that restarted empty holds no stale entry.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("mbn.cache")

PAUSE_SECONDS = 1.0
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
T = TypeVar("T")


class ResilientRedisCache(RedisCache):
    """Django's Redis cache that degrades to misses while Redis is unreachable."""

    _paused_until = 0.0  # per process (class attribute: every alias shares the one Redis)

    def _guard(self, fallback: T, call: Callable[[], T]) -> T:
        if time.monotonic() < ResilientRedisCache._paused_until:
            return fallback
        try:
            return call()
        except UNREACHABLE as error:
            ResilientRedisCache._paused_until = time.monotonic() + PAUSE_SECONDS
            logger.warning("Redis unreachable, the cache misses for %.0f s: %s", PAUSE_SECONDS, error)
            return fallback

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guard(False, lambda: super(ResilientRedisCache, self).add(key, value, timeout, version))

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._guard(default, lambda: super(ResilientRedisCache, self).get(key, default, version))

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._guard(None, lambda: super(ResilientRedisCache, self).set(key, value, timeout, version))

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guard(False, lambda: super(ResilientRedisCache, self).touch(key, timeout, version))

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._guard(False, lambda: super(ResilientRedisCache, self).delete(key, version))

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return self._guard({}, lambda: super(ResilientRedisCache, self).get_many(keys, version))

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._guard(False, lambda: super(ResilientRedisCache, self).has_key(key, version))

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        missing = object()
        found = self._guard(missing, lambda: super(ResilientRedisCache, self).incr(key, delta, version))
        if found is missing:  # as for a key not in the cache: callers set it instead
            raise ValueError(f"Key {key!r} not found (Redis unreachable).")
        return int(found)  # type: ignore[call-overload]

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list[Any]:
        return self._guard(
            list(data), lambda: super(ResilientRedisCache, self).set_many(data, timeout, version)
        )

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._guard(None, lambda: super(ResilientRedisCache, self).delete_many(keys, version))

    def clear(self) -> None:
        self._guard(None, lambda: super(ResilientRedisCache, self).clear())
