"""Routes of the administrative desk (included by mbn_platform/config/urls_tenant.py)."""

from __future__ import annotations

from django.urls import path

from tenant_apps.forms.api import forms as api
from tenant_apps.forms.views import pages

page_urlpatterns = [
    path("forms/", pages.FormsHomeView.as_view(), name="forms-home"),
    path("forms/new/", pages.FormNewView.as_view(), name="forms-new"),
    path("forms/<int:form_id>/", pages.FormDetailView.as_view(), name="forms-detail"),
    path(
        "forms/<int:form_id>/export.csv",
        pages.FormExportView.as_view(),
        {"fmt": "csv"},
        name="forms-export-csv",
    ),
    path(
        "forms/<int:form_id>/export.xlsx",
        pages.FormExportView.as_view(),
        {"fmt": "xlsx"},
        name="forms-export-xlsx",
    ),
    path("forms/<int:form_id>/answers/<int:child_id>/", pages.AnswerView.as_view(), name="forms-answer"),
    path(
        "forms/<int:form_id>/answers/<int:child_id>/certificate.pdf",
        pages.CertificateView.as_view(),
        name="forms-certificate",
    ),
    path(
        "forms/<int:form_id>/answers/<int:child_id>/files/<int:question_id>/",
        pages.AnswerFileView.as_view(),
        name="forms-answer-file",
    ),
]

api_urlpatterns = [
    path("forms/", api.FormListApi.as_view(), name="api-forms"),
    path("forms/<int:form_id>/", api.FormDetailApi.as_view(), name="api-form"),
    path("forms/<int:form_id>/publish/", api.FormPublishApi.as_view(), name="api-form-publish"),
    path("forms/<int:form_id>/close/", api.FormCloseApi.as_view(), name="api-form-close"),
    path("forms/<int:form_id>/completion/", api.FormCompletionApi.as_view(), name="api-form-completion"),
    path(
        "forms/<int:form_id>/export.csv",
        api.FormExportApi.as_view(),
        {"fmt": "csv"},
        name="api-form-export-csv",
    ),
    path(
        "forms/<int:form_id>/export.xlsx",
        api.FormExportApi.as_view(),
        {"fmt": "xlsx"},
        name="api-form-export-xlsx",
    ),
    path("forms/<int:form_id>/answers/", api.AnswerListApi.as_view(), name="api-form-answers"),
    path(
        "forms/<int:form_id>/answers/<int:child_id>/", api.AnswerDetailApi.as_view(), name="api-form-answer"
    ),
    path(
        "forms/<int:form_id>/answers/<int:child_id>/reply/",
        api.AnswerReplyApi.as_view(),
        name="api-form-answer-reply",
    ),
    path(
        "forms/<int:form_id>/answers/<int:child_id>/certificate.pdf",
        api.CertificateApi.as_view(),
        name="api-form-certificate",
    ),
    path(
        "forms/<int:form_id>/answers/<int:child_id>/files/<int:question_id>/",
        api.AnswerFileApi.as_view(),
        name="api-form-answer-file",
    ),
]
