"""Routes served on every host: probes, language switch, API schema and docs."""

from __future__ import annotations

from django.urls import URLPattern, include, path

from mbn_platform.config.health import healthz, readyz
from mbn_platform.kernel.openapi_views import DocsView, SchemaView
from mbn_platform.kernel.views import ping
from shared_apps.connectors.app import OFFLINE_PATH, ManifestView, OfflineView, ServiceWorkerView

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("ping", ping, name="ping"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The MBN app (progressive web app), at the root of every host.
    path("manifest.webmanifest", ManifestView.as_view(), name="app-manifest"),
    path("sw.js", ServiceWorkerView.as_view(), name="app-service-worker"),
    path(OFFLINE_PATH.strip("/") + "/", OfflineView.as_view(), name="app-offline"),
    # Sign-in (accounts/login/) and the account pages: shared_apps/identity/auth_urls.py,
    # included by urls_public.py and urls_tenant.py.
]


def api_docs_urlpatterns(urlconf: str) -> list[URLPattern]:
    """The OpenAPI schema and its browsable page, generated from the host's own URLconf."""
    return [
        path("api/schema/", SchemaView.as_view(urlconf=urlconf), name="api-schema"),
        path("api/docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
    ]


handler400 = "mbn_platform.kernel.views.bad_request"
handler403 = "mbn_platform.kernel.views.permission_denied"
handler404 = "mbn_platform.kernel.views.page_not_found"
handler500 = "mbn_platform.kernel.views.server_error"
