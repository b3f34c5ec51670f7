"""Routes of the audit log: the same paths on the portal (the region, operators) and on an
establishment's host (its entries, its admins and head)."""

from __future__ import annotations

from django.urls import path

from shared_apps.audit import api, views

portal_page_urlpatterns = [
    path("audit/", views.RegionAuditLogView.as_view(), name="audit-log"),
    path("audit/export.csv", views.RegionAuditExportView.as_view(), name="audit-export"),
]
tenant_page_urlpatterns = [
    path("audit/", views.EstablishmentAuditLogView.as_view(), name="audit-log"),
    path("audit/export.csv", views.EstablishmentAuditExportView.as_view(), name="audit-export"),
]
# Under /api/v1/.
portal_api_urlpatterns = [
    path("audit/entries/", api.RegionAuditEntryListApi.as_view(), name="api-audit-entries"),
]
tenant_api_urlpatterns = [
    path("audit/entries/", api.EstablishmentAuditEntryListApi.as_view(), name="api-audit-entries"),
]
