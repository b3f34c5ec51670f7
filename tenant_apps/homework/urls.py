"""Routes of the homework notebook (included by mbn_platform/config/urls_tenant.py)."""

from __future__ import annotations

from django.urls import path

from tenant_apps.homework.api import entries as entries_api
from tenant_apps.homework.api import homework as homework_api
from tenant_apps.homework.views import student, teacher

page_urlpatterns = [
    path("homework/", student.HomeworkHomeView.as_view(), name="homework-home"),
    path("homework/<int:homework_id>/", student.HomeworkDetailView.as_view(), name="homework-detail"),
    path("homework/<int:homework_id>/done/", student.HomeworkDoneView.as_view(), name="homework-done"),
    path(
        "homework/files/<int:attachment_id>/", student.AttachmentDownloadView.as_view(), name="homework-file"
    ),
    path(
        "homework/lessons/<int:lesson_id>/<str:day>/",
        teacher.LessonNotebookView.as_view(),
        name="homework-lesson",
    ),
    path("homework/classes/<int:class_id>/", teacher.ClassNotebookView.as_view(), name="homework-class"),
]

api_urlpatterns = [
    path("homework/", homework_api.HomeworkListApi.as_view(), name="api-homework-list"),
    path("homework/<int:homework_id>/", homework_api.HomeworkDetailApi.as_view(), name="api-homework-detail"),
    path(
        "homework/<int:homework_id>/done/", homework_api.HomeworkDoneApi.as_view(), name="api-homework-done"
    ),
    path(
        "homework/<int:homework_id>/attachments/",
        homework_api.HomeworkFileApi.as_view(),
        name="api-homework-attachments",
    ),
    path(
        "homework/<int:homework_id>/submissions/",
        homework_api.SubmissionListApi.as_view(),
        name="api-homework-submissions",
    ),
    path(
        "homework/<int:homework_id>/submission/",
        homework_api.MySubmissionApi.as_view(),
        name="api-homework-my-submission",
    ),
    path(
        "homework/submissions/<int:submission_id>/return/",
        homework_api.SubmissionReturnApi.as_view(),
        name="api-homework-submission-return",
    ),
    path("homework/entries/", entries_api.EntryListApi.as_view(), name="api-homework-entries"),
    path("homework/entries/<int:entry_id>/", entries_api.EntryDetailApi.as_view(), name="api-homework-entry"),
    path(
        "homework/entries/<int:entry_id>/copy/",
        entries_api.EntryCopyApi.as_view(),
        name="api-homework-entry-copy",
    ),
    path(
        "homework/entries/<int:entry_id>/attachments/",
        entries_api.EntryFileApi.as_view(),
        name="api-homework-entry-attachments",
    ),
]
