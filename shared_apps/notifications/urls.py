"""Routes of the notifications' public pages and API (included by both URLconfs; the caught mail
page by the portal's only)."""

from __future__ import annotations

from django.urls import path

from shared_apps.notifications import api, push_api, views

page_urlpatterns = [
    path("notifications/preferences/", views.PreferencesView.as_view(), name="notification-preferences"),
    path(
        "notifications/devices/<int:subscription_id>/remove/",
        views.PushDeviceRemoveView.as_view(),
        name="notification-device-remove",
    ),
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
    path("notifications/push/key/", push_api.PushKeyApi.as_view(), name="api-notification-push-key"),
    path(
        "notifications/push/subscriptions/",
        push_api.PushSubscriptionListApi.as_view(),
        name="api-notification-push-subscriptions",
    ),
    path(
        "notifications/push/subscriptions/<int:subscription_id>/",
        push_api.PushSubscriptionApi.as_view(),
        name="api-notification-push-subscription",
    ),
]
