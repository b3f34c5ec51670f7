"""Routes of the region calendar (portal; included by mbn_platform/config/urls_public.py)."""

from __future__ import annotations

from django.urls import path

from shared_apps.schoolcalendar import api, views

page_urlpatterns = [
    path("region/calendar/", views.RegionCalendarView.as_view(), name="region-calendar"),
    path("region/calendar/<int:day_id>/", views.RegionHolidayEditView.as_view(), name="region-calendar-day"),
]
# Under /api/v1/.
api_urlpatterns = [
    path("region/holidays/", api.RegionHolidayListApi.as_view(), name="api-region-holidays"),
    path("region/holidays/<int:day_id>/", api.RegionHolidayDetailApi.as_view(), name="api-region-holiday"),
    path(
        "region/establishments/<str:uai>/zone/",
        api.EstablishmentZoneApi.as_view(),
        name="api-region-establishment-zone",
    ),
]
