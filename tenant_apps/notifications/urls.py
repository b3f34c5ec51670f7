"""Routes of the notification centre (included by both URLconfs: it works on every host)."""

from __future__ import annotations

from django.urls import path

from tenant_apps.notifications import api, views

page_urlpatterns = [
    path("notifications/", views.CentreView.as_view(), name="notifications"),
    path("notifications/read-all/", views.MarkAllReadView.as_view(), name="notifications-read-all"),
    path("notifications/<str:key>/read/", views.MarkReadView.as_view(), name="notification-read"),
]
api_urlpatterns = [
    path("notifications/", api.NotificationListApi.as_view(), name="api-notifications"),
    path("notifications/read-all/", api.NotificationReadAllApi.as_view(), name="api-notifications-read-all"),
    path("notifications/<str:key>/read/", api.NotificationReadApi.as_view(), name="api-notification-read"),
]
