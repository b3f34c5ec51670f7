"""Routes of grades (included by mbn_platform/config/urls_tenant.py)."""

from __future__ import annotations

from django.urls import path

from tenant_apps.grades.api import views as api
from tenant_apps.grades.views import pages, policy

page_urlpatterns = [
    path("grades/", pages.GradesHomeView.as_view(), name="grades-home"),
    path("grades/assessments/new/", pages.AssessmentNewView.as_view(), name="grades-assessment-new"),
    path(
        "grades/assessments/<int:assessment_id>/",
        pages.AssessmentGridView.as_view(),
        name="grades-assessment",
    ),
    path("grades/students/<int:student_user_id>/", pages.StudentGradesView.as_view(), name="grades-student"),
    path("grades/policy/", policy.GradingPolicyView.as_view(), name="grades-policy"),
]

api_urlpatterns = [
    path("grades/assessments/", api.AssessmentListApi.as_view(), name="api-grades-assessments"),
    path(
        "grades/assessments/<int:assessment_id>/",
        api.AssessmentDetailApi.as_view(),
        name="api-grades-assessment",
    ),
    path(
        "grades/assessments/<int:assessment_id>/grades/",
        api.AssessmentGradesApi.as_view(),
        name="api-grades-assessment-grades",
    ),
    path("grades/students/<int:student_user_id>/", api.StudentGradesApi.as_view(), name="api-grades-student"),
    path("grades/policy/", api.PolicyApi.as_view(), name="api-grades-policy"),
    path(
        "grades/assessments/<int:assessment_id>/skills/",
        api.SkillsRateApi.as_view(),
        name="api-grades-assessment-skills",
    ),
    path(
        "grades/students/<int:student_user_id>/skills/",
        api.StudentSkillsApi.as_view(),
        name="api-grades-student-skills",
    ),
]
