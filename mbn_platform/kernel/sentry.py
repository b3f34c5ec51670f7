"""sentry-sdk wiring: a no-op without a DSN; tenant and role as tags, no personal data."""

from __future__ import annotations

from typing import Any

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

SCRUBBED = "[scrubbed]"


def scrub_event(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any] | None:
    """Drop request bodies, cookies and identifying headers before an event leaves the process."""
    request = event.get("request")
    if isinstance(request, dict):
        if "data" in request:
            request["data"] = SCRUBBED
        request.pop("cookies", None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            for name in list(headers):
                if name.lower() in {"cookie", "authorization", "x-csrftoken"}:
                    headers[name] = SCRUBBED
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user.get("id")} if user.get("id") else {}
    return event


def sentry_init(*, dsn: str, environment: str) -> bool:
    """Start sentry-sdk when a DSN is configured; return whether it was started."""
    if not dsn:
        return False
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        before_send=scrub_event,  # type: ignore[arg-type]
        traces_sample_rate=0.0,
    )
    return True


def sentry_tag_request(*, schema_name: str, roles: frozenset[str]) -> None:
    """Tag the current scope with the establishment's schema and the user's roles there."""
    scope = sentry_sdk.get_current_scope()
    scope.set_tag("tenant", schema_name)
    scope.set_tag("roles", ",".join(sorted(roles)) or "none")
