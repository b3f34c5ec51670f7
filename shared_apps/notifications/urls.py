"""Routes of the notifications' public pages and API (included by both URLconfs; the caught mail
page by the portal's only)."""

from __future__ import annotations

from django.urls import path

from shared_apps.notifications import api, views

page_urlpatterns = [
    path("notifications/preferences/", views.PreferencesView.as_view(), name="notification-preferences"),
]
portal_page_urlpatterns = [
    path("notifications/caught-mail/", views.CaughtMailView.as_view(), name="caught-mail"),
]
api_urlpatterns = [
    path(
        "notifications/preferences/",
        api.PreferencesApi.as_view(),
        name="api-notification-preferences",
    ),
]
