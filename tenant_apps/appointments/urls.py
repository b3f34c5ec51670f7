"""Routes of appointments (included by mbn_platform/config/urls_tenant.py)."""

from __future__ import annotations

from django.urls import path

from tenant_apps.appointments.api import bookings as bookings_api
from tenant_apps.appointments.api import evenings as evenings_api
from tenant_apps.appointments.views import evenings, home

page_urlpatterns = [
    path("appointments/", home.AppointmentsHomeView.as_view(), name="appointments-home"),
    path("appointments/slots/new/", home.SlotNewView.as_view(), name="appointments-slot-new"),
    path(
        "appointments/slots/<int:slot_id>/book/", home.SlotBookView.as_view(), name="appointments-slot-book"
    ),
    path(
        "appointments/bookings/<int:booking_id>/cancel/",
        home.BookingCancelView.as_view(),
        name="appointments-booking-cancel",
    ),
    path(
        "appointments/bookings/<int:booking_id>/invitation.ics",
        home.BookingInvitationView.as_view(),
        name="appointments-booking-ics",
    ),
    path("appointments/evenings/new/", evenings.EveningNewView.as_view(), name="appointments-evening-new"),
    path(
        "appointments/evenings/<int:evening_id>/",
        evenings.EveningDetailView.as_view(),
        name="appointments-evening",
    ),
    path(
        "appointments/evenings/<int:evening_id>/book/<int:child_id>/",
        evenings.EveningBookView.as_view(),
        name="appointments-evening-book",
    ),
    path(
        "appointments/evenings/<int:evening_id>/schedule/",
        evenings.EveningScheduleView.as_view(),
        name="appointments-evening-schedule",
    ),
]

api_urlpatterns = [
    path("appointments/evenings/", evenings_api.EveningListApi.as_view(), name="api-appointments-evenings"),
    path(
        "appointments/evenings/<int:evening_id>/",
        evenings_api.EveningDetailApi.as_view(),
        name="api-appointments-evening",
    ),
    path(
        "appointments/evenings/<int:evening_id>/status/",
        evenings_api.EveningStatusApi.as_view(),
        name="api-appointments-evening-status",
    ),
    path(
        "appointments/evenings/<int:evening_id>/teachers/",
        evenings_api.EveningTeacherApi.as_view(),
        name="api-appointments-evening-teachers",
    ),
    path(
        "appointments/evenings/<int:evening_id>/children/<int:child_id>/",
        evenings_api.EveningChildApi.as_view(),
        name="api-appointments-evening-child",
    ),
    path(
        "appointments/evenings/<int:evening_id>/schedule/",
        evenings_api.EveningScheduleApi.as_view(),
        name="api-appointments-evening-schedule",
    ),
    path("appointments/slots/", bookings_api.SlotListApi.as_view(), name="api-appointments-slots"),
    path(
        "appointments/slots/<int:slot_id>/",
        bookings_api.SlotDetailApi.as_view(),
        name="api-appointments-slot",
    ),
    path("appointments/bookings/", bookings_api.BookingListApi.as_view(), name="api-appointments-bookings"),
    path(
        "appointments/bookings/<int:booking_id>/",
        bookings_api.BookingDetailApi.as_view(),
        name="api-appointments-booking",
    ),
    path(
        "appointments/bookings/<int:booking_id>/cancel/",
        bookings_api.BookingCancelApi.as_view(),
        name="api-appointments-booking-cancel",
    ),
    path(
        "appointments/bookings/<int:booking_id>/invitation.ics",
        bookings_api.BookingInvitationApi.as_view(),
        name="api-appointments-booking-ics",
    ),
]
