"""The region portal and operators' side, on the base domain (public schema)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from mbn_platform.config.urls_common import (
    api_docs_urlpatterns,
    handler400,
    handler403,
    handler404,
    handler500,
)
from mbn_platform.config.urls_common import urlpatterns as common_urlpatterns
from shared_apps.audit import urls as audit_urls
from shared_apps.billing import urls as billing_urls
from shared_apps.connectors import urls as connectors_urls
from shared_apps.directory import urls as directory_urls
from shared_apps.identity import api as identity_api
from shared_apps.identity import auth_urls
from shared_apps.identity import views as identity_views
from shared_apps.notifications import urls as notifications_urls
from shared_apps.privacy import urls as privacy_urls
from shared_apps.schoolcalendar import urls as calendar_urls
from shared_apps.support import urls as support_urls
from tenant_apps.notifications import urls as centre_urls
from tenants import urls as tenants_urls

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

api_v1: list[URLPattern | URLResolver] = [
    path("me/", identity_api.MeApi.as_view(), name="api-me"),
    path("account/", include(auth_urls.api_urlpatterns)),
    path("", include(directory_urls.activation_api_urlpatterns)),
    *tenants_urls.api_urlpatterns,
    *support_urls.api_urlpatterns,
    *connectors_urls.api_urlpatterns,
    *audit_urls.portal_api_urlpatterns,
    *billing_urls.api_urlpatterns,
    *calendar_urls.api_urlpatterns,
    *notifications_urls.api_urlpatterns,
    *centre_urls.api_urlpatterns,
]

urlpatterns = [
    *common_urlpatterns,
    *auth_urls.urlpatterns,
    *connectors_urls.oidc_urlpatterns,
    *api_docs_urlpatterns("mbn_platform.config.urls_public"),
    path("", identity_views.PortalHomeView.as_view(), name="home"),
    path("timetable/", identity_views.PortalWeekView.as_view(), name="portal-week"),
    path("messages/", identity_views.PortalInboxView.as_view(), name="portal-inbox"),
    path("calendar/", identity_views.PortalCalendarView.as_view(), name="portal-calendar"),
    path("calendar/<str:token>.ics", identity_views.PortalCalendarFeedView.as_view(), name="portal-feed"),
    path("", include(directory_urls.activation_page_urlpatterns)),
    path("api/v1/", include(api_v1)),
    *tenants_urls.page_urlpatterns,
    *directory_urls.console_page_urlpatterns,
    *support_urls.page_urlpatterns,
    *connectors_urls.page_urlpatterns,
    *support_urls.portal_page_urlpatterns,
    *audit_urls.portal_page_urlpatterns,
    *privacy_urls.page_urlpatterns,
    *billing_urls.page_urlpatterns,
    *calendar_urls.page_urlpatterns,
    *notifications_urls.page_urlpatterns,
    *centre_urls.page_urlpatterns,
    *notifications_urls.portal_page_urlpatterns,
    path("admin/", admin.site.urls),
]
