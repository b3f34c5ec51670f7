"""The region portal and operators' side, on the base domain (public schema)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from mbn_platform.urls_common import api_docs_urlpatterns, handler400, handler403, handler404, handler500
from mbn_platform.urls_common import urlpatterns as common_urlpatterns
from shared_apps.identity import api as identity_api
from shared_apps.identity import views as identity_views
from tenants import urls as tenants_urls

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

api_v1 = [
    path("me/", identity_api.MeApi.as_view(), name="api-me"),
    *tenants_urls.api_urlpatterns,
]

urlpatterns = [
    *common_urlpatterns,
    *api_docs_urlpatterns("mbn_platform.urls_public"),
    path("", identity_views.PortalHomeView.as_view(), name="home"),
    path("api/v1/", include(api_v1)),
    *tenants_urls.page_urlpatterns,
    path("admin/", admin.site.urls),
]
