"""Routes of the provisioning service on the base domain: the console pages and the API."""

from __future__ import annotations

from django.urls import path

from tenants import api, views

page_urlpatterns = [
    path("console/", views.EstablishmentListView.as_view(), name="console-list"),
    path("console/onboard/", views.OnboardView.as_view(), name="console-onboard"),
    path("console/restore/", views.RestoreView.as_view(), name="console-restore"),
    path("console/bulk/", views.BulkView.as_view(), name="console-bulk"),
    path("console/batches/<int:batch_id>/", views.BatchView.as_view(), name="console-batch"),
    path("console/jobs/<int:job_id>/", views.JobView.as_view(), name="console-job"),
    path(
        "console/establishments/<str:uai>/",
        views.EstablishmentDetailView.as_view(),
        name="console-establishment",
    ),
]

api_urlpatterns = [
    path("establishments/", api.EstablishmentListApi.as_view(), name="api-establishment-list"),
    path("establishments/<str:uai>/", api.EstablishmentDetailApi.as_view(), name="api-establishment-detail"),
    path(
        "establishments/<str:uai>/lifecycle/",
        api.EstablishmentLifecycleApi.as_view(),
        name="api-establishment-lifecycle",
    ),
    path(
        "establishments/<str:uai>/subdomain/",
        api.EstablishmentSubdomainApi.as_view(),
        name="api-establishment-subdomain",
    ),
    path(
        "establishments/<str:uai>/aliases/",
        api.EstablishmentAliasApi.as_view(),
        name="api-establishment-aliases",
    ),
    path(
        "establishments/<str:uai>/exports/",
        api.EstablishmentExportsApi.as_view(),
        name="api-establishment-exports",
    ),
    path(
        "establishments/<str:uai>/offboard/",
        api.EstablishmentOffboardApi.as_view(),
        name="api-establishment-offboard",
    ),
    path("provisioning/restore/", api.EstablishmentRestoreApi.as_view(), name="api-establishment-restore"),
    path("provisioning/jobs/<int:job_id>/", api.JobDetailApi.as_view(), name="api-job-detail"),
    path("provisioning/jobs/<int:job_id>/resume/", api.JobResumeApi.as_view(), name="api-job-resume"),
    path("provisioning/jobs/<int:job_id>/rollback/", api.JobRollbackApi.as_view(), name="api-job-rollback"),
    path("provisioning/batches/preview/", api.BatchPreviewApi.as_view(), name="api-batch-preview"),
    path("provisioning/batches/", api.BatchCreateApi.as_view(), name="api-batch-create"),
    path("provisioning/batches/<int:batch_id>/", api.BatchDetailApi.as_view(), name="api-batch-detail"),
]
