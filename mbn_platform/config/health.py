"""Liveness and readiness probes, on every host (portal and schools)."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from mbn_platform.kernel.permissions import access


@access(anonymous=True)
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is alive (no dependency checked)."""
    return JsonResponse({"status": "ok"})


def database_ready() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # any failure means not ready; the probe says why
        return f"{type(error).__name__}"
    return None


def broker_ready() -> str | None:
    from mbn_platform.config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:  # any failure means not ready; the probe says why
        return f"{type(error).__name__}"
    return None


@access(anonymous=True)
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """The database and the broker are reachable."""
    checks = {"database": database_ready(), "broker": broker_ready()}
    ok = all(problem is None for problem in checks.values())
    body = {"status": "ok" if ok else "unavailable", "checks": {k: v or "ok" for k, v in checks.items()}}
    return JsonResponse(body, status=200 if ok else 503)
