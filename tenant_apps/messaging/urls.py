"""Routes of messaging (included by mbn_platform/config/urls_tenant.py)."""

from __future__ import annotations

from django.urls import path

from tenant_apps.messaging.api import admin_api, threads
from tenant_apps.messaging.views import admin, pages

page_urlpatterns = [
    path("messages/", pages.MessagesHomeView.as_view(), name="messaging-home"),
    path("messages/new/", pages.ComposeView.as_view(), name="messaging-compose"),
    path("messages/rules/", admin.RulesView.as_view(), name="messaging-rules"),
    path("messages/reports/", admin.ReportsView.as_view(), name="messaging-reports"),
    path("messages/files/<int:attachment_id>/", pages.MessageFileView.as_view(), name="messaging-file"),
    path("messages/<int:thread_id>/", pages.ThreadView.as_view(), name="messaging-thread"),
]

api_urlpatterns = [
    path("messages/threads/", threads.ThreadListApi.as_view(), name="api-messaging-threads"),
    path("messages/threads/<int:thread_id>/", threads.ThreadDetailApi.as_view(), name="api-messaging-thread"),
    path(
        "messages/threads/<int:thread_id>/messages/", threads.ReplyApi.as_view(), name="api-messaging-reply"
    ),
    path(
        "messages/threads/<int:thread_id>/archive/",
        threads.ArchiveApi.as_view(),
        name="api-messaging-archive",
    ),
    path(
        "messages/messages/<int:message_id>/report/", threads.ReportApi.as_view(), name="api-messaging-report"
    ),
    path("messages/rules/", admin_api.RulesApi.as_view(), name="api-messaging-rules"),
    path("messages/recipients/", admin_api.RecipientsApi.as_view(), name="api-messaging-recipients"),
    path("messages/reports/", admin_api.ReportListApi.as_view(), name="api-messaging-reports"),
    path(
        "messages/reports/<int:report_id>/resolve/",
        admin_api.ReportResolveApi.as_view(),
        name="api-messaging-report-resolve",
    ),
]
