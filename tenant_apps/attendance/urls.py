"""Routes of attendance (included by mbn_platform/config/urls_tenant.py)."""

from __future__ import annotations

from django.urls import path

from tenant_apps.attendance import desk_views, lateness_views, settings_views, statistics_views, views
from tenant_apps.attendance.api import desk, justifications, registers
from tenant_apps.attendance.api import settings as settings_api
from tenant_apps.attendance.api import statistics as statistics_api

page_urlpatterns = [
    path(
        "attendance/register/<int:lesson_id>/<str:day>/",
        views.RegisterView.as_view(),
        name="attendance-register",
    ),
    path(
        "attendance/register/exceptional/<int:exceptional_id>/",
        views.RegisterView.as_view(),
        name="attendance-register-exceptional",
    ),
    path("attendance/follow-up/", views.RegistersNotTakenView.as_view(), name="attendance-follow-up"),
    path("attendance/family/", views.FamilyAttendanceView.as_view(), name="attendance-family"),
    path(
        "attendance/justifications/<int:justification_id>/attachment/",
        views.JustificationAttachmentView.as_view(),
        name="attendance-justification-attachment",
    ),
    path(
        "attendance/statistics/", statistics_views.ClassStatisticsView.as_view(), name="attendance-statistics"
    ),
    path(
        "attendance/students/<int:user_id>/",
        statistics_views.StudentAttendanceView.as_view(),
        name="attendance-student",
    ),
    path("attendance/me/", statistics_views.MyAttendanceView.as_view(), name="attendance-mine"),
    path("attendance/lateness/", lateness_views.LatenessView.as_view(), name="attendance-lateness"),
    path("attendance/settings/", settings_views.AttendanceSettingsView.as_view(), name="attendance-settings"),
    path("attendance/absences/", desk_views.AbsencePeriodsView.as_view(), name="attendance-absences"),
    path("attendance/exemptions/", desk_views.SportExemptionsView.as_view(), name="attendance-exemptions"),
    path(
        "attendance/exemptions/<int:exemption_id>/certificate/",
        desk_views.ExemptionCertificateView.as_view(),
        name="attendance-exemption-certificate",
    ),
    path("attendance/infirmary/", desk_views.InfirmaryView.as_view(), name="attendance-infirmary"),
    path("attendance/threshold/", desk_views.ThresholdView.as_view(), name="attendance-threshold"),
    path("attendance/threshold.csv", desk_views.ThresholdCsvView.as_view(), name="attendance-threshold-csv"),
]

api_urlpatterns = [
    path(
        "attendance/settings/", settings_api.AttendanceSettingsApi.as_view(), name="api-attendance-settings"
    ),
    path(
        "attendance/registers/<int:lesson_id>/<str:day>/",
        registers.RegisterApi.as_view(),
        name="api-attendance-register",
    ),
    path(
        "attendance/registers/exceptional/<int:exceptional_id>/",
        registers.ExceptionalRegisterApi.as_view(),
        name="api-attendance-register-exceptional",
    ),
    path(
        "attendance/registers-not-taken/",
        registers.RegistersNotTakenApi.as_view(),
        name="api-attendance-not-taken",
    ),
    path("attendance/marks/<int:mark_id>/", registers.MarkApi.as_view(), name="api-attendance-mark"),
    path(
        "attendance/late-arrivals/", registers.LateArrivalApi.as_view(), name="api-attendance-late-arrivals"
    ),
    path("attendance/notices/held/", registers.NoticeReviewApi.as_view(), name="api-attendance-notices"),
    path(
        "attendance/declarations/",
        justifications.DeclarationApi.as_view(),
        name="api-attendance-declarations",
    ),
    path(
        "attendance/justifications/",
        justifications.JustificationListApi.as_view(),
        name="api-attendance-justifications",
    ),
    path(
        "attendance/justifications/<int:justification_id>/decision/",
        justifications.JustificationDecisionApi.as_view(),
        name="api-attendance-justification-decision",
    ),
    path(
        "attendance/students/<int:user_id>/statistics/",
        statistics_api.StudentStatisticsApi.as_view(),
        name="api-attendance-student-stats",
    ),
    path(
        "attendance/classes/<int:class_id>/statistics/",
        statistics_api.ClassStatisticsApi.as_view(),
        name="api-attendance-class-stats",
    ),
    path("attendance/absences/", desk.AbsencePeriodListApi.as_view(), name="api-attendance-absences"),
    path(
        "attendance/absences/<int:period_id>/",
        desk.AbsencePeriodDetailApi.as_view(),
        name="api-attendance-absence",
    ),
    path("attendance/exemptions/", desk.SportExemptionListApi.as_view(), name="api-attendance-exemptions"),
    path(
        "attendance/infirmary-visits/", desk.InfirmaryVisitListApi.as_view(), name="api-attendance-infirmary"
    ),
    path("attendance/threshold/", desk.ThresholdApi.as_view(), name="api-attendance-threshold"),
]
