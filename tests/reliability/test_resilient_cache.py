"""The platform's Redis cache while Redis cannot be reached (nothing listens on its port): reads
miss, writes are dropped, a counter behaves as a missing key (callers set it), and the process
leaves Redis alone for a moment instead of waiting on it at every call."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from mbn_platform.config.cache_settings import default_cache
from mbn_platform.kernel import cache as resilient
from tests.perf.http_load import free_port


@pytest.fixture
def unreachable() -> Iterator[resilient.ResilientRedisCache]:
    resilient.ResilientRedisCache._paused_until = 0.0
    settings = default_cache(f"redis://127.0.0.1:{free_port()}/0")
    found = resilient.ResilientRedisCache(settings["LOCATION"], {"OPTIONS": settings["OPTIONS"]})
    yield found
    resilient.ResilientRedisCache._paused_until = 0.0


def test_an_unreachable_redis_is_a_cache_that_misses(
    unreachable: resilient.ResilientRedisCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(resilient, "PAUSE_SECONDS", 0.0)  # every call tries Redis
    assert unreachable.get("k", "default") == "default"
    unreachable.set("k", 1)
    assert unreachable.add("k", 1) is False and unreachable.get_many(["k"]) == {}
    assert "k" not in unreachable and unreachable.delete("k") is False
    with pytest.raises(ValueError, match="Redis unreachable"):
        unreachable.incr("k")
    assert unreachable.get_or_set("k", 3) == 3  # computed, not stored


def test_after_a_failure_the_process_leaves_redis_alone_for_a_moment(
    unreachable: resilient.ResilientRedisCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    client = unreachable._cache.get_client
    monkeypatch.setattr(
        unreachable._cache, "get_client", lambda *a, **k: calls.append("redis") or client(*a, **k)
    )
    unreachable.get("k")
    unreachable.get("k")
    assert calls == ["redis"]  # the second call did not try
    resilient.ResilientRedisCache._paused_until = time.monotonic() - 1  # the pause is over
    unreachable.get("k")
    assert calls == ["redis", "redis"]
