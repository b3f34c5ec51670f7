"""Settings of the API (Django REST framework, the OpenAPI schema) and of the logs, read by
mbn_platform/config/settings.py."""

from __future__ import annotations

from typing import Any


def rest_framework(env: Any, *, num_proxies: int) -> dict[str, Any]:
    """DRF: API tokens and session sign-in, declared roles, pagination, throttling, one error handler."""
    return {
        "DEFAULT_AUTHENTICATION_CLASSES": [
            # API tokens (OAuth 2 bearer, issued by the OIDC provider): checked by the connectors'
            # middleware, before the second-factor and impersonation checks (kernel/bearer.py).
            "mbn_platform.kernel.bearer.BearerAuthentication",
            "rest_framework.authentication.SessionAuthentication",
        ],
        "DEFAULT_PERMISSION_CLASSES": ["mbn_platform.kernel.permissions.DeclaredRolesPermission"],
        "DEFAULT_PAGINATION_CLASS": "mbn_platform.kernel.api.DefaultPagination",
        "DEFAULT_SCHEMA_CLASS": "mbn_platform.kernel.openapi.AutoSchema",
        "PAGE_SIZE": 50,
        "DEFAULT_THROTTLE_CLASSES": [
            "rest_framework.throttling.AnonRateThrottle",
            "rest_framework.throttling.UserRateThrottle",
            # Per connected application and person (API tokens), beside the per-person rate.
            "mbn_platform.kernel.bearer.TokenRateThrottle",
        ],
        # The client's address for the anonymous rates: REMOTE_ADDR, or the X-Forwarded-For entry our
        # own load balancer added (never the whole header, which a client could vary at will).
        "NUM_PROXIES": num_proxies,
        "DEFAULT_THROTTLE_RATES": {
            "anon": env.str("API_THROTTLE_ANON", default="60/minute"),
            "user": env.str("API_THROTTLE_USER", default="1200/minute"),
            "token": env.str("API_THROTTLE_TOKEN", default="600/minute"),
            # Password and second-factor endpoints (shared_apps/identity/auth_api.py).
            "auth": env.str("API_THROTTLE_AUTH", default="20/minute"),
        },
        "EXCEPTION_HANDLER": "mbn_platform.kernel.errors.api_exception_handler",
    }


SPECTACULAR_SETTINGS = {
    "TITLE": "MBN API",
    "DESCRIPTION": "API of the MBN regional digital workspace. On the base domain: region scope; "
    "on an establishment's subdomain: that establishment's data.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from drf-spectacular-sidecar's files: the docs work without internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}


def logging_config(level: str) -> dict[str, Any]:
    """JSON lines on the console, each with the request id, the establishment's schema and the user."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "mbn_platform.kernel.logging.ContextFilter"}},
        "formatters": {"json": {"()": "mbn_platform.kernel.logging.JsonFormatter"}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "filters": ["context"], "formatter": "json"},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            "django_tenants": {"level": "WARNING"},
            "weasyprint": {"level": "WARNING"},  # invoices' PDFs: its progress lines are noise
            "fontTools": {"level": "WARNING"},
        },
    }
