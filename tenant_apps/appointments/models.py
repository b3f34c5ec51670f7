"""Appointments (one copy per schema): availability slots that teachers and staff publish, one-off
or on a grid over a parent-teacher evening, and the guardians' bookings of them for a child.

At most one active booking holds a slot: the services lock the slot's row while they book, and a
partial unique constraint (``appointments_one_booking_per_slot``) makes a second one impossible
whatever the code does."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Room


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("By video link")


class EveningStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Open for booking")
    CLOSED = "closed", _("Closed")


class Evening(models.Model):
    """A parent-teacher evening: slots of ``slot_minutes`` from ``start_time`` to ``end_time`` for
    each teacher taking part, addressed to the guardians of the chosen classes."""

    title = models.CharField(_("title"), max_length=150)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))
    slot_minutes = models.PositiveSmallIntegerField(_("length of a slot (minutes)"), default=10)
    mode = models.CharField(_("how"), max_length=12, choices=Mode.choices, default=Mode.IN_PERSON)
    classes = models.ManyToManyField(SchoolClass, related_name="+", verbose_name=_("classes"))
    status = models.CharField(
        _("status"), max_length=8, choices=EveningStatus.choices, default=EveningStatus.DRAFT
    )
    cancel_cutoff_hours = models.PositiveSmallIntegerField(
        _("cancellation possible until (hours before)"), default=24
    )
    created_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("parent-teacher evening")
        ordering: ClassVar = ["-date", "-pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")), name="appointments_evening_times"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.date}"


class EveningTeacher(models.Model):
    """A teacher (or member of staff) taking part in an evening, in a room or by video link."""

    evening = models.ForeignKey(Evening, on_delete=models.CASCADE, related_name="teachers")
    teacher = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    room = models.ForeignKey(Room, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    video_link = models.URLField(_("video link"), blank=True, default="")

    class Meta:
        verbose_name = _("teacher of an evening")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["evening", "teacher"], name="appointments_evening_teacher_once"),
        ]

    def __str__(self) -> str:
        return f"{self.evening_id} {self.teacher_id}"


class Slot(models.Model):
    """A time a member of staff is available for a guardian: one-off (``evening`` empty) or on an
    evening's grid."""

    teacher = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="appointment_slots")
    evening = models.ForeignKey(
        Evening, on_delete=models.CASCADE, null=True, blank=True, related_name="slots"
    )
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    mode = models.CharField(_("how"), max_length=12, choices=Mode.choices, default=Mode.IN_PERSON)
    room = models.ForeignKey(Room, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    video_link = models.URLField(_("video link"), blank=True, default="")
    cancel_cutoff_hours = models.PositiveSmallIntegerField(default=24)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("slot")
        ordering: ClassVar = ["starts_at", "pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="appointments_slot_times"
            ),
            models.UniqueConstraint(fields=["teacher", "starts_at"], name="appointments_slot_once"),
        ]
        indexes: ClassVar = [
            models.Index(fields=["evening", "teacher", "starts_at"], name="appointments_slot_grid_idx"),
            models.Index(fields=["starts_at"], name="appointments_slot_start_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.teacher_id} {self.starts_at:%Y-%m-%d %H:%M}"


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")


class Booking(models.Model):
    """A guardian's booking of a slot for one of their children."""

    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="bookings")
    child = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    guardian = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="appointment_bookings")
    status = models.CharField(
        _("status"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    booked_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by_id = models.BigIntegerField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("booking")
        ordering: ClassVar = ["slot__starts_at", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=models.Q(status="booked"),
                name="appointments_one_booking_per_slot",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["guardian", "status"], name="appointments_booking_guard_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.slot_id} {self.child_id} {self.status}"
