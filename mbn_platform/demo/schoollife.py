"""The demo's school life: the region's calendar (zone B's holidays and the bank holidays), and at
the Collège Louis Pasteur a timetable imported from a CSV through the import service, a teacher
absent for two days with one lesson replaced, an incident with its detention and a sanction
decided by the head, a whole-day absence, an EPS exemption and an infirmary visit. Everything
goes through the services, dated relative to the school year of today; running it again adds
nothing (each part looks for what it made first)."""

from __future__ import annotations

import contextlib
import datetime

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

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
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Room, SchoolYear, Subject
from tenant_apps.structure.selectors import current_school_year
from tenant_apps.structure.services import room_create, school_year_create, subject_create
from tenant_apps.timetable.models import TeacherAbsence, TimetableImport
from tenant_apps.timetable.services import (
    Assignment,
    teacher_absence_assign,
    teacher_absence_record,
    timetable_import_apply,
    timetable_import_preview,
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

SUBJECTS = (
    ("MATHS", "Mathématiques"),
    ("FRANC", "Français"),
    ("ANGL1", "Anglais"),
    ("HIGEO", "Histoire-géographie"),
    ("EPS", "EPS"),
)
#: Each teacher's subject (the demo's staff, data.STAFF) and each class's weekly lessons:
#: (weekday, hour, subject), the teacher being the subject's.
TEACHERS = {
    "MATHS": "Sophie Lang",
    "FRANC": "Olivier Frey",
    "ANGL1": "Julie Arnold",
    "HIGEO": "Karim Haddad",
    "EPS": "Anne Marchal",
}
WEEK = (
    (1, 8, "MATHS"),
    (1, 9, "FRANC"),
    (1, 10, "ANGL1"),
    (1, 14, "HIGEO"),
    (2, 8, "FRANC"),
    (2, 9, "MATHS"),
    (2, 13, "EPS"),
    (3, 8, "ANGL1"),
    (3, 9, "HIGEO"),
    (4, 8, "MATHS"),
    (4, 10, "FRANC"),
    (4, 14, "ANGL1"),
    (5, 8, "HIGEO"),
    (5, 9, "MATHS"),
    (5, 10, "FRANC"),
)


def demo_region_calendar_seed() -> None:
    for zone, kind, name, start, end in REGION_DAYS:
        if not RegionHoliday.objects.filter(zone=zone, name=name, start=start).exists():
            region_holiday_create(actor=None, zone=zone, kind=kind, name=name, start=start, end=end)


def _year() -> SchoolYear:
    year = current_school_year()
    if year is not None:
        return year
    today = timezone.localdate()
    first = today.year if today.month >= 8 else today.year - 1
    start = D(first, 9, 1)
    return school_year_create(
        actor=None,
        name=f"{first}-{first + 1}",
        start=start - datetime.timedelta(days=start.weekday()),
        end=D(first + 1, 7, 4),
        is_current=True,
    )


def _timetable_csv(classes: list[str]) -> bytes:
    lines = ["jour;debut;fin;matiere;libelle;professeur;classes;salle;semaines"]
    for index, class_name in enumerate(classes):
        for weekday, hour, code in WEEK:
            start = hour + index  # each class an hour later: no teacher and no room twice
            name = dict(SUBJECTS)[code]
            room = "Gymnase" if code == "EPS" else f"Salle {101 + index}"
            weeks = "A" if code == "ANGL1" and weekday == 3 else "every"
            lines.append(
                f"{weekday};{start:02d}:00;{start:02d}:55;{code};{name};{TEACHERS[code]};{class_name};{room};{weeks}"
            )
    return ("\n".join(lines) + "\n").encode()


def _member(name: str) -> Member:
    return Member.objects.filter(display_name=name, is_active=True).order_by("pk").first()  # type: ignore[return-value]


def _user(member: Member) -> User:
    return User.objects.get(pk=member.user_id)


@transaction.atomic
def demo_school_life_seed(establishment: Establishment) -> None:
    """The collège's timetable and school life (see the module's docstring)."""
    with schema_context(establishment.schema_name):
        year = _year()
        for code, name in SUBJECTS:
            if not Subject.objects.filter(code=code).exists():
                subject_create(actor=None, code=code, name=name)
        for name in ("Gymnase",):
            if not Room.objects.filter(name=name).exists():
                room_create(actor=None, name=name)
        classes = list(
            SchoolClass.objects.filter(students__isnull=False)
            .order_by("name")
            .values_list("name", flat=True)
            .distinct()
        )
        if not TimetableImport.objects.filter(source_name=DEMO_FILE).exists():
            imp = timetable_import_preview(
                actor=None,
                year=year,
                name=DEMO_FILE,
                data=_timetable_csv(classes),
                from_day=year.start,
            )
            if not imp.errors:
                timetable_import_apply(actor=None, imp=imp)
        school_life, head = _member("Nadia Benali"), _member("Hélène Vogel")
        if school_life is None or head is None:
            return
        life, head_user = _user(school_life), _user(head)
        today = timezone.localdate()
        monday = today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(days=7)
        teacher = _member(TEACHERS["MATHS"])
        if teacher is not None and not TeacherAbsence.objects.exists() and year.start <= monday <= year.end:
            absence = teacher_absence_record(
                actor=life,
                teacher=teacher,
                start=monday,
                end=monday + datetime.timedelta(days=1),
                note="Formation",
            )
            first = absence.changes.order_by("date", "lesson__start_time").first()
            colleague = _member(TEACHERS["HIGEO"])
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


def demo_school_life(establishment: Establishment) -> None:
    """The region's calendar, then the collège's school life."""
    demo_region_calendar_seed()
    demo_school_life_seed(establishment)
