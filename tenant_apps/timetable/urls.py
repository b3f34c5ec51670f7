"""Routes of the timetable (included by mbn_platform/urls_tenant.py)."""

from __future__ import annotations

from django.urls import path

from tenant_apps.timetable import api, views

page_urlpatterns = [
    path("timetable/", views.MyWeekView.as_view(), name="timetable-week"),
    path("timetable/classes/<int:class_id>/", views.ClassWeekView.as_view(), name="timetable-class"),
    path("timetable/rooms/<int:room_id>/", views.RoomWeekView.as_view(), name="timetable-room"),
    path("timetable/calendar/", views.CalendarFeedPage.as_view(), name="timetable-calendar"),
    path("calendar/<str:token>.ics", views.CalendarFeedView.as_view(), name="timetable-feed"),
]

api_urlpatterns = [
    path("timetable/week/", api.MyWeekApi.as_view(), name="api-timetable-week"),
    path("timetable/classes/<int:class_id>/week/", api.ClassWeekApi.as_view(), name="api-timetable-class"),
    path("timetable/rooms/<int:room_id>/week/", api.RoomWeekApi.as_view(), name="api-timetable-room"),
    path("timetable/lessons/", api.LessonCreateApi.as_view(), name="api-timetable-lessons"),
    path(
        "timetable/lessons/<int:lesson_id>/changes/",
        api.LessonChangeApi.as_view(),
        name="api-timetable-change",
    ),
    path(
        "timetable/exceptional-lessons/",
        api.ExceptionalLessonCreateApi.as_view(),
        name="api-timetable-exceptional",
    ),
    path("timetable/holidays/", api.HolidayCreateApi.as_view(), name="api-timetable-holidays"),
    path("timetable/calendar-token/", api.CalendarTokenApi.as_view(), name="api-timetable-calendar-token"),
]
