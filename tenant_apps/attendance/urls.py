"""Routes of attendance (included by mbn_platform/urls_tenant.py)."""

from __future__ import annotations

from django.urls import path

from tenant_apps.attendance import api, views

page_urlpatterns = [
    path(
        "attendance/register/<int:lesson_id>/<str:day>/",
        views.RegisterView.as_view(),
        name="attendance-register",
    ),
    path("attendance/follow-up/", views.RegistersNotTakenView.as_view(), name="attendance-follow-up"),
    path("attendance/family/", views.FamilyAttendanceView.as_view(), name="attendance-family"),
]

api_urlpatterns = [
    path(
        "attendance/registers/<int:lesson_id>/<str:day>/",
        api.RegisterApi.as_view(),
        name="api-attendance-register",
    ),
    path(
        "attendance/registers-not-taken/", api.RegistersNotTakenApi.as_view(), name="api-attendance-not-taken"
    ),
    path("attendance/marks/<int:mark_id>/", api.MarkApi.as_view(), name="api-attendance-mark"),
    path("attendance/notices/held/", api.NoticeReviewApi.as_view(), name="api-attendance-notices"),
    path("attendance/declarations/", api.DeclarationApi.as_view(), name="api-attendance-declarations"),
    path(
        "attendance/justifications/", api.JustificationListApi.as_view(), name="api-attendance-justifications"
    ),
    path(
        "attendance/justifications/<int:justification_id>/decision/",
        api.JustificationDecisionApi.as_view(),
        name="api-attendance-justification-decision",
    ),
    path(
        "attendance/students/<int:user_id>/statistics/",
        api.StudentStatisticsApi.as_view(),
        name="api-attendance-student-stats",
    ),
    path(
        "attendance/classes/<int:class_id>/statistics/",
        api.ClassStatisticsApi.as_view(),
        name="api-attendance-class-stats",
    ),
]
