"""Routes of report cards (included by mbn_platform/config/urls_tenant.py)."""

from __future__ import annotations

from django.urls import path

from tenant_apps.reportcards.api import views as api
from tenant_apps.reportcards.views import head_teachers, pages

page_urlpatterns = [
    path("reportcards/", pages.ReportCardsHomeView.as_view(), name="reportcards-home"),
    path("reportcards/<int:card_id>/pdf/", pages.ReportCardDownloadView.as_view(), name="reportcards-pdf"),
    path(
        "reportcards/head-teachers/",
        head_teachers.HeadTeachersView.as_view(),
        name="reportcards-head-teachers",
    ),
    path(
        "reportcards/classes/<int:class_id>/periods/<int:period_id>/",
        pages.CouncilView.as_view(),
        name="reportcards-council",
    ),
    path(
        "reportcards/classes/<int:class_id>/subjects/<int:subject_id>/periods/<int:period_id>/",
        pages.AppraisalsView.as_view(),
        name="reportcards-appraisals",
    ),
    path(
        "reportcards/publications/<int:publication_id>/progress/",
        pages.PublicationProgressView.as_view(),
        name="reportcards-progress",
    ),
]

api_urlpatterns = [
    path("reportcards/", api.ReportCardListApi.as_view(), name="api-reportcards"),
    path("reportcards/<int:card_id>/pdf/", api.ReportCardPdfApi.as_view(), name="api-reportcards-pdf"),
    path(
        "reportcards/<int:card_id>/regenerate/",
        api.ReportCardRegenerateApi.as_view(),
        name="api-reportcards-regenerate",
    ),
    path("reportcards/publications/", api.PublicationListApi.as_view(), name="api-reportcards-publications"),
    path(
        "reportcards/publications/<int:publication_id>/",
        api.PublicationDetailApi.as_view(),
        name="api-reportcards-publication",
    ),
    path("reportcards/appraisals/", api.AppraisalApi.as_view(), name="api-reportcards-appraisals"),
    path("reportcards/council-decisions/", api.CouncilDecisionApi.as_view(), name="api-reportcards-council"),
    path("reportcards/head-teachers/", api.HeadTeacherApi.as_view(), name="api-reportcards-head-teachers"),
]
