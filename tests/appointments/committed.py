"""A parent-teacher evening in committed data, for what several connections must see at once
(the concurrency test, the booking benchmark): families made in bulk (accounts, memberships,
their local rows, guardian links), teachers through the services, an open evening. Uniquely
named; everything is removed at the end (``committed_evening`` is a context manager)."""

from __future__ import annotations

import contextlib
import datetime
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils import timezone
from django_tenants.utils import tenant_context

from shared_apps.identity.models import GuardianLink, Membership, MembershipStatus, User
from shared_apps.identity.roles import Role
from tenant_apps.appointments import services
from tenant_apps.appointments.models import Booking, Evening, EveningTeacher, Slot
from tenant_apps.notifications.models import Notification
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Subject, TeachingAssignment
from tenants.models import Establishment
from tests.factories import member


@dataclass
class CommittedEvening:
    establishment: Establishment
    evening: Evening
    guardians: list[User]
    children: list[User]
    teachers: list[User]
    head: User
    slot_ids: list[int] = field(default_factory=list)


def _families(
    establishment: Establishment, school_class: SchoolClass, tag: str, count: int
) -> tuple[list[User], list[User]]:
    users = User.objects.bulk_create(
        [
            User(login=f"ap{tag}{kind}{n}", first_name=f"{kind}{n}", last_name=tag, password="!")
            for kind in ("g", "c")
            for n in range(count)
        ]
    )
    guardians, children = users[:count], users[count:]
    Membership.objects.bulk_create(
        [
            Membership(
                user=u, establishment=establishment, role=Role.GUARDIAN, status=MembershipStatus.ACTIVE
            )
            for u in guardians
        ]
        + [
            Membership(user=u, establishment=establishment, role=Role.STUDENT, status=MembershipStatus.ACTIVE)
            for u in children
        ]
    )
    GuardianLink.objects.bulk_create(
        [GuardianLink(guardian=g, child=c) for g, c in zip(guardians, children, strict=True)]
    )
    with tenant_context(establishment):
        Member.objects.bulk_create(
            [
                Member(user_id=u.pk, display_name=f"Parent {u.first_name}", roles=[Role.GUARDIAN])
                for u in guardians
            ]
            + [
                Member(
                    user_id=u.pk,
                    display_name=f"Élève {u.first_name}",
                    roles=[Role.STUDENT],
                    school_class=school_class,
                )
                for u in children
            ]
        )
    return guardians, children


@contextlib.contextmanager
def committed_evening(
    establishment: Establishment,
    *,
    families: int,
    teachers: int = 2,
    start: int = 17,
    end: int = 19,
    slot_minutes: int = 10,
) -> Iterator[CommittedEvening]:
    tag = uuid.uuid4().hex[:6]
    with tenant_context(establishment):
        school_class = SchoolClass.objects.create(name=f"AP {tag}", level="3e")
        subject = Subject.objects.create(code=f"AP{tag}", name=f"Sujet {tag}")
    staff = [member(establishment, Role.TEACHER, login=f"ap{tag}t{n}") for n in range(teachers)]
    head = member(establishment, Role.HEAD, login=f"ap{tag}h")
    guardians, children = _families(establishment, school_class, tag, families)
    with tenant_context(establishment):
        for teacher in staff:
            TeachingAssignment.objects.create(
                teacher=Member.objects.get(user_id=teacher.pk), subject=subject, school_class=school_class
            )
        evening = services.evening_create(
            actor=head,
            title=f"Soirée {tag}",
            date=timezone.localdate() + datetime.timedelta(days=10),
            start_time=datetime.time(start),
            end_time=datetime.time(end),
            slot_minutes=slot_minutes,
            classes=[school_class],
        )
        for teacher in staff:
            services.evening_teacher_add(
                actor=head, evening=evening, teacher=Member.objects.get(user_id=teacher.pk)
            )
        services.evening_status_set(actor=head, evening=evening, status="open")
        slot_ids = list(
            Slot.objects.filter(evening=evening).order_by("starts_at", "pk").values_list("pk", flat=True)
        )
    people = [*staff, head, *guardians, *children]
    try:
        yield CommittedEvening(establishment, evening, guardians, children, staff, head, slot_ids)
    finally:
        with tenant_context(establishment):
            booked = [
                str(pk) for pk in Booking.objects.filter(slot__evening=evening).values_list("pk", flat=True)
            ]
            if booked:
                Notification.objects.filter(source__regex=rf"^appointment:({'|'.join(booked)}):").delete()
            Booking.objects.filter(slot__evening=evening).delete()
            Slot.objects.filter(evening=evening).delete()
            EveningTeacher.objects.filter(evening=evening).delete()
            Evening.objects.filter(pk=evening.pk).delete()
            TeachingAssignment.objects.filter(subject=subject).delete()
            Member.objects.filter(user_id__in=[u.pk for u in people]).delete()
            subject.delete()
            school_class.delete()
        User.objects.filter(pk__in=[u.pk for u in people]).delete()
