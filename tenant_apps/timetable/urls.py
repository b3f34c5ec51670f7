"""Routes of the timetable (included by mbn_platform/config/urls_tenant.py)."""

from __future__ import annotations

from django.urls import path

from tenant_apps.timetable.api import exceptional, holidays, imports, lessons, substitutions, weeks
from tenant_apps.timetable.views import exceptional as exceptional_pages
from tenant_apps.timetable.views import holidays as holiday_pages
from tenant_apps.timetable.views import imports as import_pages
from tenant_apps.timetable.views import lessons as lesson_pages
from tenant_apps.timetable.views import substitutions as substitution_pages
from tenant_apps.timetable.views import weeks as week_pages

page_urlpatterns = [
    path("timetable/", week_pages.MyWeekView.as_view(), name="timetable-week"),
    path("timetable/classes/<int:class_id>/", week_pages.ClassWeekView.as_view(), name="timetable-class"),
    path("timetable/rooms/<int:room_id>/", week_pages.RoomWeekView.as_view(), name="timetable-room"),
    path("timetable/calendar/", week_pages.CalendarFeedPage.as_view(), name="timetable-calendar"),
    path("calendar/<str:token>.ics", week_pages.CalendarFeedView.as_view(), name="timetable-feed"),
    path("timetable/manage/", lesson_pages.ManageView.as_view(), name="timetable-manage"),
    path("timetable/manage/lessons/new/", lesson_pages.LessonFormView.as_view(), name="timetable-lesson-new"),
    path(
        "timetable/manage/lessons/<int:lesson_id>/",
        lesson_pages.LessonFormView.as_view(),
        name="timetable-lesson",
    ),
    path("timetable/manage/holidays/", holiday_pages.HolidayListView.as_view(), name="timetable-holidays"),
    path(
        "timetable/manage/holidays/<int:holiday_id>/",
        holiday_pages.HolidayEditView.as_view(),
        name="timetable-holiday",
    ),
    path(
        "timetable/substitutions/",
        substitution_pages.AbsenceListView.as_view(),
        name="timetable-substitutions",
    ),
    path(
        "timetable/substitutions/<int:absence_id>/",
        substitution_pages.AbsenceDetailView.as_view(),
        name="timetable-substitution",
    ),
    path("timetable/manage/imports/", import_pages.ImportListView.as_view(), name="timetable-imports"),
    path(
        "timetable/manage/imports/<int:import_id>/",
        import_pages.ImportDetailView.as_view(),
        name="timetable-import",
    ),
    path(
        "timetable/manage/exceptional/",
        exceptional_pages.ExceptionalListView.as_view(),
        name="timetable-exceptional",
    ),
    path(
        "timetable/manage/exceptional/<int:exceptional_id>/",
        exceptional_pages.ExceptionalEditView.as_view(),
        name="timetable-exceptional-edit",
    ),
    path(
        "timetable/lessons/<int:lesson_id>/<str:day>/change/",
        lesson_pages.LessonChangeView.as_view(),
        name="timetable-change",
    ),
]

api_urlpatterns = [
    path("timetable/week/", weeks.MyWeekApi.as_view(), name="api-timetable-week"),
    path("timetable/classes/<int:class_id>/week/", weeks.ClassWeekApi.as_view(), name="api-timetable-class"),
    path("timetable/rooms/<int:room_id>/week/", weeks.RoomWeekApi.as_view(), name="api-timetable-room"),
    path("timetable/lessons/", lessons.LessonListApi.as_view(), name="api-timetable-lessons"),
    path(
        "timetable/lessons/<int:lesson_id>/", lessons.LessonDetailApi.as_view(), name="api-timetable-lesson"
    ),
    path(
        "timetable/lessons/<int:lesson_id>/end/",
        lessons.LessonEndApi.as_view(),
        name="api-timetable-lesson-end",
    ),
    path(
        "timetable/lessons/<int:lesson_id>/changes/",
        lessons.LessonChangeApi.as_view(),
        name="api-timetable-change",
    ),
    path(
        "timetable/lessons/<int:lesson_id>/changes/<str:day>/",
        lessons.LessonChangeDeleteApi.as_view(),
        name="api-timetable-change-delete",
    ),
    path(
        "timetable/exceptional-lessons/",
        exceptional.ExceptionalLessonListApi.as_view(),
        name="api-timetable-exceptional",
    ),
    path(
        "timetable/exceptional-lessons/<int:exceptional_id>/",
        exceptional.ExceptionalLessonDetailApi.as_view(),
        name="api-timetable-exceptional-detail",
    ),
    path(
        "timetable/substitutions/", substitutions.AbsenceListApi.as_view(), name="api-timetable-substitutions"
    ),
    path(
        "timetable/substitutions/<int:absence_id>/",
        substitutions.AbsenceDetailApi.as_view(),
        name="api-timetable-substitution",
    ),
    path(
        "timetable/substitutions/<int:absence_id>/assignments/",
        substitutions.AbsenceAssignApi.as_view(),
        name="api-timetable-substitution-assign",
    ),
    path(
        "timetable/substitutions/<int:absence_id>/notify/",
        substitutions.AbsenceNotifyApi.as_view(),
        name="api-timetable-substitution-notify",
    ),
    path("timetable/imports/", imports.ImportListApi.as_view(), name="api-timetable-imports"),
    path(
        "timetable/imports/<int:import_id>/", imports.ImportDetailApi.as_view(), name="api-timetable-import"
    ),
    path(
        "timetable/imports/<int:import_id>/apply/",
        imports.ImportApplyApi.as_view(),
        name="api-timetable-import-apply",
    ),
    path("timetable/holidays/", holidays.HolidayListApi.as_view(), name="api-timetable-holidays"),
    path("timetable/days-off/", holidays.DaysOffApi.as_view(), name="api-timetable-days-off"),
    path(
        "timetable/holidays/<int:holiday_id>/",
        holidays.HolidayDetailApi.as_view(),
        name="api-timetable-holiday",
    ),
    path(
        "timetable/calendar-token/", holidays.CalendarTokenApi.as_view(), name="api-timetable-calendar-token"
    ),
]
