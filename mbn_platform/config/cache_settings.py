"""The caches, read by mbn_platform/config/settings.py: Redis when it is configured (every web
process and worker shares it), else each process's memory (development, the demo without Redis)."""

from __future__ import annotations

from typing import Any


def default_cache(redis_url: str) -> dict[str, Any]:
    if not redis_url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    return {
        # Misses while Redis is unreachable instead of errors (mbn_platform/kernel/cache.py), and
        # short timeouts so that a request never waits long on a Redis that does not answer.
        "BACKEND": "mbn_platform.kernel.cache.ResilientRedisCache",
        "LOCATION": redis_url,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
    }
