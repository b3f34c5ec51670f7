"""The demo seed: relative to today, built through the services, deterministic, idempotent, fast
(issue 12). The session's demo is seeded once (tests/conftest.py ``demo``)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tenants.utils import schema_context

from mbn_platform.demo.calendar import demo_year
from mbn_platform.demo.data import DEMO_SCHOOLS, TEACHERS
from mbn_platform.demo.seed import demo_seed
from mbn_platform.demo.timetable_plan import weekly_plan
from tenant_apps.attendance.models import AttendanceMark, Justification, JustificationStatus, Register
from tenant_apps.structure.models import Group, SchoolYear
from tenant_apps.timetable.models import Holiday, Lesson, LessonChange
from tests.conftest import SESSION_SCHOOLS


def test_the_demo_schools_are_not_the_test_sessions(demo):
    session_uais = {uai for uai, *_rest in SESSION_SCHOOLS.values()}
    assert not session_uais & {s.uai for s in DEMO_SCHOOLS}
    assert set(demo.establishments) == {s.subdomain for s in DEMO_SCHOOLS}


def test_each_school_has_a_current_year_a_full_week_and_the_last_weeks_registers(demo, db):
    today = timezone.localdate()
    for school, establishment, _people in demo.schools():
        with schema_context(establishment.schema_name):
            year = SchoolYear.objects.get(is_current=True)
            assert year.start <= demo.demo_day <= year.end or today.month in (7, 8)
            assert year.periods.count() == (2 if school.semesters else 3)
            assert Holiday.objects.filter(name="Vacances de Noël").exists()
            assert Lesson.objects.filter(year=year).count() == len(weekly_plan(school))
            assert Lesson.objects.filter(week="A").exists() and Lesson.objects.filter(week="B").exists()
            assert Group.objects.filter(name__startswith="Allemand LV2").exists()
            registers = Register.objects.all()
            if demo.year.school_days_between(max(year.start, today - datetime.timedelta(days=21)), today):
                assert registers.exists()
            # Never today's register, nor a later one: those are the teachers' to take.
            assert not registers.filter(date__gte=today).exists()
            assert AttendanceMark.objects.filter(status="absent").exists() or not registers.exists()
            if registers.exists():
                statuses = set(Justification.objects.values_list("status", flat=True))
                assert {JustificationStatus.ACCEPTED, JustificationStatus.PENDING} <= statuses
            if year.start <= demo.demo_day <= year.end:
                assert LessonChange.objects.filter(date__gte=demo.demo_day).count() >= 2


def test_running_it_again_adds_nothing_and_takes_seconds(demo, db):
    again = demo_seed()
    assert again.counts == {
        "lessons": 0,
        "changes": 0,
        "registers": 0,
        "bookings": 0,
        "form answers": 0,
        "connected applications": 0,
        "assessments": 0,
        "report cards": 0,
    }
    assert again.seconds < 10, again.seconds
    assert demo.seconds < 60, demo.seconds


def test_every_teacher_of_the_printed_school_teaches_on_every_weekday():
    kleber = next(s for s in DEMO_SCHOOLS if s.subdomain == "kleber")
    plan = weekly_plan(kleber)
    sophie = TEACHERS.index(("Sophie", "Lang"))
    assert {p.weekday for p in plan if p.teacher == sophie} == {0, 1, 2, 3, 4}
    for school in DEMO_SCHOOLS:
        plan = weekly_plan(school)
        slots = [(p.teacher, p.weekday, p.slot) for p in plan if p.week != "B"]
        assert len(slots) == len(set(slots)), school.subdomain  # no teacher in two places
        for class_name, _level in school.classes:
            mine = {(p.weekday, p.slot) for p in plan if p.class_name == class_name or class_name in p.group}
            assert len(mine) >= 20, class_name


def test_the_year_follows_today_and_zone_b():
    december = demo_year(datetime.date(2026, 12, 3))
    assert (december.name, december.start, december.end) == (
        "2026-2027",
        datetime.date(2026, 9, 1),
        datetime.date(2027, 7, 3),
    )
    known = demo_year(datetime.date(2026, 1, 15))
    holidays = {name: (first, last) for name, first, last in known.holidays}
    assert holidays["Vacances d'hiver"] == (datetime.date(2026, 2, 14), datetime.date(2026, 3, 1))
    assert not known.is_school_day(datetime.date(2026, 5, 15))  # the Ascension bridge
    saturday = datetime.date(2026, 12, 5)
    assert december.school_day_on_or_after(saturday) == datetime.date(2026, 12, 7)
    assert demo_year(datetime.date(2027, 8, 20)).name == "2027-2028"
