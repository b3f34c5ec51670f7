"""The demo's school life: the region's calendar (zone B's holidays and the bank holidays), and at
the Collège Louis Pasteur (with the people and the timetable of the demo seed) a teacher absent
for two days next week with one lesson replaced, an incident with its detention and a sanction
decided by the head, a whole-day absence, an EPS exemption and an infirmary visit. Everything
goes through the services, dated relative to the school year of today; running it again adds
nothing (each part looks for what it made first)."""

from __future__ import annotations

import contextlib
import datetime

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from mbn_platform.demo.people import SchoolPeople
from mbn_platform.kernel.errors import ValidationFailed
from shared_apps.identity.models import User
from shared_apps.identity.roles import Role
from shared_apps.schoolcalendar.models import DayOffKind, RegionHoliday
from shared_apps.schoolcalendar.services import region_holiday_create
from tenant_apps.attendance.models import AbsencePeriod
from tenant_apps.attendance.services import (
    absence_period_record,
    infirmary_visit_record,
    sport_exemption_record,
)
from tenant_apps.discipline.models import Incident
from tenant_apps.discipline.services import (
    incident_create,
    punishment_give,
    sanction_decide,
    sanction_propose,
)
from tenant_apps.school.models import Member
from tenant_apps.structure.selectors import current_school_year
from tenant_apps.timetable.models import TeacherAbsence
from tenant_apps.timetable.services import (
    Assignment,
    teacher_absence_assign,
    teacher_absence_record,
)
from tenants.models import Establishment

D = datetime.date
DEMO_FILE = "demo-emploi-du-temps.csv"

#: Zone B's school holidays and the bank holidays (every zone) of two school years.
REGION_DAYS = (
    ("B", DayOffKind.HOLIDAYS, "Vacances de la Toussaint", D(2025, 10, 18), D(2025, 11, 2)),
    ("", DayOffKind.HOLIDAYS, "Vacances de Noël", D(2025, 12, 20), D(2026, 1, 4)),
    ("B", DayOffKind.HOLIDAYS, "Vacances d'hiver", D(2026, 2, 14), D(2026, 3, 1)),
    ("B", DayOffKind.HOLIDAYS, "Vacances de printemps", D(2026, 4, 11), D(2026, 4, 26)),
    ("", DayOffKind.BANK_HOLIDAY, "Pont de l'Ascension", D(2026, 5, 14), D(2026, 5, 15)),
    ("B", DayOffKind.HOLIDAYS, "Vacances de la Toussaint", D(2026, 10, 17), D(2026, 11, 1)),
    ("", DayOffKind.BANK_HOLIDAY, "Armistice", D(2026, 11, 11), D(2026, 11, 11)),
    ("", DayOffKind.HOLIDAYS, "Vacances de Noël", D(2026, 12, 19), D(2027, 1, 3)),
    ("B", DayOffKind.HOLIDAYS, "Vacances d'hiver", D(2027, 2, 20), D(2027, 3, 7)),
    ("B", DayOffKind.HOLIDAYS, "Vacances de printemps", D(2027, 4, 17), D(2027, 5, 2)),
    ("", DayOffKind.BANK_HOLIDAY, "Pont de l'Ascension", D(2027, 5, 6), D(2027, 5, 7)),
)


def demo_region_calendar_seed() -> None:
    for zone, kind, name, start, end in REGION_DAYS:
        if not RegionHoliday.objects.filter(zone=zone, name=name, start=start).exists():
            region_holiday_create(actor=None, zone=zone, kind=kind, name=name, start=start, end=end)


def _member(user: User) -> Member | None:
    return Member.objects.filter(user_id=user.pk, is_active=True).first()


def _user(member: Member) -> User:
    return User.objects.get(pk=member.user_id)


@transaction.atomic
def demo_school_life_seed(establishment: Establishment, people: SchoolPeople) -> None:
    """The collège's school life, with the people of the demo seed (see the module's docstring)."""
    with schema_context(establishment.schema_name):
        year = current_school_year()
        life_user, head_user = people.staff.get(Role.SCHOOL_LIFE), people.staff.get(Role.HEAD)
        if year is None or life_user is None or head_user is None or len(people.teachers) < 2:
            return
        school_life = _member(life_user)
        if school_life is None:
            return
        life = life_user
        today = timezone.localdate()
        monday = today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(days=7)
        teacher = _member(people.teachers[0])
        if teacher is not None and not TeacherAbsence.objects.exists() and year.start <= monday <= year.end:
            absence = teacher_absence_record(
                actor=life,
                teacher=teacher,
                start=monday,
                end=monday + datetime.timedelta(days=1),
                note="Formation",
            )
            first = absence.changes.order_by("date", "lesson__start_time").first()
            colleague = _member(people.teachers[1])
            if first is not None and colleague is not None:
                with contextlib.suppress(ValidationFailed):  # the colleague teaches then: left cancelled
                    teacher_absence_assign(
                        actor=life, absence=absence, assignments=[Assignment(first, colleague)]
                    )
        students = list(
            Member.objects.filter(roles__contains=[Role.STUDENT], is_active=True).order_by(
                "school_class__name", "display_name"
            )[:6]
        )
        if len(students) < 3:
            return
        if not Incident.objects.exists():
            incident = incident_create(
                actor=life,
                occurred_at=timezone.now() - datetime.timedelta(days=2),
                place="Cour de récréation",
                description="Bousculade et insultes pendant la récréation de 10 h.",
                students=students[:2],
                witnesses=[students[2]],
            )
            punishment_give(
                actor=life,
                student=students[0],
                kind="detention",
                reason="Insultes envers un camarade",
                date=monday + datetime.timedelta(days=2),
                start_time=datetime.time(13),
                end_time=datetime.time(14),
                supervisor=school_life,
                place="Permanence",
                incident=incident,
            )
            punishment_give(
                actor=life,
                student=students[1],
                kind="extra_work",
                reason="Bousculade",
                date=monday,
                work="Rédiger une lettre d'excuses",
                incident=incident,
            )
            sanction = sanction_propose(
                actor=life, student=students[0], kind="warning", reason="Insultes répétées", incident=incident
            )
            sanction_decide(
                actor=head_user,
                sanction=sanction,
                pronounced=True,
                body="head",
                decision="Avertissement, après entretien avec la famille.",
            )
        if not AbsencePeriod.objects.exists():
            last_week = monday - datetime.timedelta(days=14)
            absence_period_record(
                actor=life,
                student=students[3],
                start=last_week,
                end=last_week + datetime.timedelta(days=1),
                reason="illness",
                justified=True,
                comment="Appel de la mère",
            )
            sport_exemption_record(
                actor=life,
                student=students[4],
                start=last_week,
                end=last_week + datetime.timedelta(days=30),
                partial=True,
                details="Pas de course ni de saut",
            )
            infirmary_visit_record(
                actor=life,
                student=students[5],
                arrived_at=timezone.now() - datetime.timedelta(days=1),
                reason="Mal de ventre",
                outcome="back_to_class",
                care="Repos 20 minutes",
            )


def demo_school_life(
    establishment: Establishment, people: SchoolPeople, *, region_calendar: bool = True
) -> None:
    """The region's calendar, then the collège's school life."""
    if region_calendar:
        demo_region_calendar_seed()
    demo_school_life_seed(establishment, people)
