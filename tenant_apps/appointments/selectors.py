"""Reads of appointments, scoped to what the person may see: organisers every evening and
booking; teachers every evening (to take part in one), their own slots and who booked them; a
guardian the open evenings of their children's classes, the slots of their children's teachers
and the bookings made for their children. Students see nothing here."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from shared_apps.identity.roles import Role
from tenant_apps.appointments.models import Booking, BookingStatus, Evening, EveningStatus, Slot
from tenant_apps.appointments.permissions import ORGANISERS, SLOT_PUBLISHERS
from tenant_apps.school.models import Member
from tenant_apps.structure.models import Group, TeachingAssignment
from tenant_apps.timetable.models import Lesson
from tenant_apps.timetable.selectors import scope_student


def me(user_id: int) -> Member | None:
    return Member.objects.filter(user_id=user_id, is_active=True).first()


def children_acting(*, guardian_user_id: int) -> list[Member]:
    """The guardian's children here for whom they may act (book, cancel): the public link says
    so (``GuardianLink.can_act``; a small public table read by user id)."""
    from shared_apps.identity.models import GuardianLink

    child_ids = list(
        GuardianLink.objects.filter(guardian_id=guardian_user_id, can_act=True).values_list(
            "child_id", flat=True
        )
    )
    if not child_ids:
        return []
    return list(
        Member.objects.filter(user_id__in=child_ids, is_active=True, roles__contains=[Role.STUDENT])
        .select_related("school_class")
        .order_by("display_name")
    )


def children_seen(*, guardian_user_id: int) -> list[int]:
    """The local ids of every child of the guardian here (acting or only viewing)."""
    from shared_apps.identity.models import GuardianLink

    child_ids = GuardianLink.objects.filter(guardian_id=guardian_user_id).values_list("child_id", flat=True)
    return list(Member.objects.filter(user_id__in=list(child_ids)).values_list("pk", flat=True))


def teachers_of(child: Member) -> dict[int, list[str]]:
    """The child's teachers (member id → the subjects they teach the child): a teaching
    assignment to the child's class or one of their groups, or a recurring lesson of theirs."""
    groups = Group.members.through.objects.filter(member=child).values("group_id")
    audience = Q(group_id__in=groups)
    if child.school_class_id:
        audience |= Q(school_class_id=child.school_class_id)
    found: dict[int, list[str]] = defaultdict(list)
    for teacher_id, subject in TeachingAssignment.objects.filter(audience).values_list(
        "teacher_id", "subject__name"
    ):
        if subject not in found[teacher_id]:
            found[teacher_id].append(subject)
    lessons = Lesson.objects.filter(scope_student(child).lessons, teacher__isnull=False)
    for teacher_id, subject in lessons.values_list("teacher_id", "subject__name").distinct():
        if subject and subject not in found[teacher_id]:
            found[teacher_id].append(subject)
    return dict(found)


def evenings_visible(
    *, user_id: int, roles: frozenset[str], seen: list[int] | None = None
) -> QuerySet[Evening]:
    """``seen``: the guardian's ``children_seen``, when the caller has already read them."""
    found = Evening.objects.prefetch_related("classes")
    if roles & SLOT_PUBLISHERS:
        return found  # staff: every evening (a teacher takes part in one from its page)
    condition = Q(pk__in=[])
    if Role.GUARDIAN in roles:
        if seen is None:
            seen = children_seen(guardian_user_id=user_id)
        classes = Member.objects.filter(pk__in=seen).values("school_class_id")
        condition |= Q(classes__in=classes) & ~Q(status=EveningStatus.DRAFT)
    return found.filter(condition).distinct()


def bookings_visible(
    *, user_id: int, roles: frozenset[str], seen: list[int] | None = None
) -> QuerySet[Booking]:
    """``seen``: the guardian's ``children_seen``, when the caller has already read them."""
    found = Booking.objects.select_related(
        "slot__teacher", "slot__room", "slot__evening", "child__school_class", "guardian"
    )
    if roles & ORGANISERS:
        return found
    condition = Q(pk__in=[])
    if roles & {Role.TEACHER} or roles & ORGANISERS:
        condition |= Q(slot__teacher__user_id=user_id)
    if Role.GUARDIAN in roles:
        if seen is None:
            seen = children_seen(guardian_user_id=user_id)
        condition |= Q(guardian__user_id=user_id) | Q(child_id__in=seen)
    return found.filter(condition)


def _booked() -> Exists:
    return Exists(Booking.objects.filter(slot=OuterRef("pk"), status=BookingStatus.BOOKED))


def slots_open(*, now: datetime.datetime | None = None) -> QuerySet[Slot]:
    """Slots with their "taken" flag, from now on."""
    now = now or timezone.now()
    return (
        Slot.objects.filter(starts_at__gt=now)
        .annotate(taken=_booked())
        .select_related("teacher", "room", "evening")
    )


def one_off_slots_free(*, teacher_ids: list[int]) -> QuerySet[Slot]:
    """The one-off slots nobody holds yet of these teachers, from now on."""
    return (
        Slot.objects.filter(evening__isnull=True, starts_at__gt=timezone.now(), teacher_id__in=teacher_ids)
        .filter(~_booked())
        .select_related("teacher", "room")
    )


def slots_of_teacher(*, user_id: int, since: datetime.datetime | None = None) -> QuerySet[Slot]:
    """A teacher's own slots (from ``since``), with the booking each holds."""
    since = since or timezone.now() - datetime.timedelta(hours=12)
    active = Booking.objects.filter(status=BookingStatus.BOOKED).select_related(
        "child__school_class", "guardian"
    )
    return (
        Slot.objects.filter(teacher__user_id=user_id, starts_at__gte=since)
        .select_related("room", "evening")
        .prefetch_related(Prefetch("bookings", queryset=active, to_attr="active"))
    )


@dataclass
class TeacherChoice:
    """One of the child's teachers at an evening, with their slots (taken or free)."""

    teacher: Member
    subjects: list[str]
    slots: list[Slot] = field(default_factory=list)
    booked: Booking | None = None


def evening_choices(*, evening: Evening, child: Member) -> list[TeacherChoice]:
    """The child's teachers who take part in the evening, each with their slots (``taken``) and the
    booking already made for this child with them (a fixed number of queries)."""
    subjects = teachers_of(child)
    slots = list(
        Slot.objects.filter(evening=evening, teacher_id__in=subjects)
        .annotate(taken=_booked())
        .select_related("teacher", "room")
        .order_by("teacher__display_name", "starts_at")
    )
    mine = {
        b.slot.teacher_id: b
        for b in Booking.objects.filter(
            slot__evening=evening, child=child, status=BookingStatus.BOOKED
        ).select_related("slot")
    }
    choices: dict[int, TeacherChoice] = {}
    for slot in slots:
        choice = choices.setdefault(
            slot.teacher_id,
            TeacherChoice(slot.teacher, subjects[slot.teacher_id], booked=mine.get(slot.teacher_id)),
        )
        choice.slots.append(slot)
    return list(choices.values())


@dataclass
class ScheduleLine:
    slot: Slot
    booking: Booking | None


def evening_schedule(*, evening: Evening, by: str) -> list[tuple[str, list[ScheduleLine]]]:
    """The evening's schedule for the organiser: per teacher (``by="teacher"``) or per room, each
    slot with its booking (two queries)."""
    active = {
        b.slot_id: b
        for b in Booking.objects.filter(slot__evening=evening, status=BookingStatus.BOOKED).select_related(
            "child__school_class", "guardian"
        )
    }
    slots = Slot.objects.filter(evening=evening).select_related("teacher", "room")
    groups: dict[str, list[ScheduleLine]] = defaultdict(list)
    for slot in slots.order_by("starts_at", "teacher__display_name"):
        if by == "room":
            key = slot.room.name if slot.room else (str(slot.get_mode_display()))
        else:
            key = slot.teacher.display_name
        groups[key].append(ScheduleLine(slot, active.get(slot.pk)))
    return sorted(groups.items())
