"""Routes of directory imports (a school's host) and of account activation (every host)."""

from __future__ import annotations

from django.urls import path

from shared_apps.directory import api, views
from shared_apps.directory.aaf import views as feed_views

# Included under /api/v1/ of a school's host.
api_urlpatterns = [
    path("directory/imports/", api.DirectoryImportListApi.as_view(), name="api-directory-imports"),
    path(
        "directory/imports/<int:import_id>/",
        api.DirectoryImportDetailApi.as_view(),
        name="api-directory-import",
    ),
    path(
        "directory/imports/<int:import_id>/apply/",
        api.DirectoryImportApplyApi.as_view(),
        name="api-directory-import-apply",
    ),
    path(
        "directory/classes/<int:class_id>/activation-letters.pdf",
        api.ActivationLettersApi.as_view(),
        name="api-directory-letters",
    ),
]

# Included under /api/v1/ of every host.
activation_api_urlpatterns = [
    path("account/activate/", api.AccountActivateApi.as_view(), name="api-account-activate"),
]

# Pages of a school's host.
page_urlpatterns = [
    path("directory/imports/", views.ImportListView.as_view(), name="directory-imports"),
    path(
        "directory/imports/<int:import_id>/", views.ImportDetailView.as_view(), name="directory-import-detail"
    ),
    path(
        "directory/imports/<int:import_id>/progress/",
        views.ImportProgressView.as_view(),
        name="directory-import-progress",
    ),
    path(
        "directory/imports/<int:import_id>/apply/",
        views.ImportApplyView.as_view(),
        name="directory-import-apply",
    ),
    path("directory/letters/", views.LettersView.as_view(), name="directory-letters"),
    path("directory/letters/staff.pdf", views.LettersPdfView.as_view(), name="directory-letters-staff"),
    path(
        "directory/letters/<int:class_id>.pdf", views.LettersPdfView.as_view(), name="directory-letters-class"
    ),
]

# Pages of every host.
activation_page_urlpatterns = [
    path("accounts/activate/", views.ActivateView.as_view(), name="account-activate"),
]

# The operators' console pages of the académies' feeds (base domain).
console_page_urlpatterns = [
    path("console/feeds/", feed_views.FeedListView.as_view(), name="console-feeds"),
    path("console/feeds/<int:feed_id>/", feed_views.FeedDetailView.as_view(), name="console-feed"),
    path("console/feeds/runs/<int:run_id>/", feed_views.FeedRunView.as_view(), name="console-feed-run"),
]
