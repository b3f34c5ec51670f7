"""Routes of the timetable (included by mbn_platform/config/urls_tenant.py)."""

from __future__ import annotations

from django.urls import path

from tenant_apps.timetable import api, views

page_urlpatterns = [
    path("timetable/", views.MyWeekView.as_view(), name="timetable-week"),
    path("timetable/classes/<int:class_id>/", views.ClassWeekView.as_view(), name="timetable-class"),
    path("timetable/rooms/<int:room_id>/", views.RoomWeekView.as_view(), name="timetable-room"),
    path("timetable/calendar/", views.CalendarFeedPage.as_view(), name="timetable-calendar"),
    path("calendar/<str:token>.ics", views.CalendarFeedView.as_view(), name="timetable-feed"),
    path("timetable/manage/", views.ManageView.as_view(), name="timetable-manage"),
    path("timetable/manage/lessons/new/", views.LessonFormView.as_view(), name="timetable-lesson-new"),
    path(
        "timetable/manage/lessons/<int:lesson_id>/", views.LessonFormView.as_view(), name="timetable-lesson"
    ),
    path("timetable/manage/holidays/", views.HolidayListView.as_view(), name="timetable-holidays"),
    path(
        "timetable/manage/holidays/<int:holiday_id>/",
        views.HolidayEditView.as_view(),
        name="timetable-holiday",
    ),
    path("timetable/manage/exceptional/", views.ExceptionalListView.as_view(), name="timetable-exceptional"),
    path(
        "timetable/manage/exceptional/<int:exceptional_id>/",
        views.ExceptionalEditView.as_view(),
        name="timetable-exceptional-edit",
    ),
    path(
        "timetable/lessons/<int:lesson_id>/<str:day>/change/",
        views.LessonChangeView.as_view(),
        name="timetable-change",
    ),
]

api_urlpatterns = [
    path("timetable/week/", api.MyWeekApi.as_view(), name="api-timetable-week"),
    path("timetable/classes/<int:class_id>/week/", api.ClassWeekApi.as_view(), name="api-timetable-class"),
    path("timetable/rooms/<int:room_id>/week/", api.RoomWeekApi.as_view(), name="api-timetable-room"),
    path("timetable/lessons/", api.LessonListApi.as_view(), name="api-timetable-lessons"),
    path("timetable/lessons/<int:lesson_id>/", api.LessonDetailApi.as_view(), name="api-timetable-lesson"),
    path(
        "timetable/lessons/<int:lesson_id>/end/", api.LessonEndApi.as_view(), name="api-timetable-lesson-end"
    ),
    path(
        "timetable/lessons/<int:lesson_id>/changes/",
        api.LessonChangeApi.as_view(),
        name="api-timetable-change",
    ),
    path(
        "timetable/lessons/<int:lesson_id>/changes/<str:day>/",
        api.LessonChangeDeleteApi.as_view(),
        name="api-timetable-change-delete",
    ),
    path(
        "timetable/exceptional-lessons/",
        api.ExceptionalLessonListApi.as_view(),
        name="api-timetable-exceptional",
    ),
    path(
        "timetable/exceptional-lessons/<int:exceptional_id>/",
        api.ExceptionalLessonDetailApi.as_view(),
        name="api-timetable-exceptional-detail",
    ),
    path("timetable/holidays/", api.HolidayListApi.as_view(), name="api-timetable-holidays"),
    path(
        "timetable/holidays/<int:holiday_id>/", api.HolidayDetailApi.as_view(), name="api-timetable-holiday"
    ),
    path("timetable/calendar-token/", api.CalendarTokenApi.as_view(), name="api-timetable-calendar-token"),
]
