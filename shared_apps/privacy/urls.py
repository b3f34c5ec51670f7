"""Routes of privacy, on the portal (included by urls_public.py)."""

from __future__ import annotations

from django.urls import path

from shared_apps.privacy import views

page_urlpatterns = [
    path("privacy/my-data/", views.MyDataView.as_view(), name="privacy-my-data"),
    path("privacy/exports/<int:export_id>/", views.ExportDownloadView.as_view(), name="privacy-export"),
    path("privacy/records/", views.RecordsView.as_view(), name="privacy-records"),
    path("privacy/postal/", views.PostalExportView.as_view(), name="privacy-postal"),
]
