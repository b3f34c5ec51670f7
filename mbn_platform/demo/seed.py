"""The demo seed: the establishments of ``data.py`` and everything a visitor sees in them, built
through the services, relative to today (``calendar.py``), so that the demo always looks current.

One place runs every app's part, in order (``DEMO_STEPS``): people, then each school's structure
and timetable, then attendance. A new app adds its module beside these (``mbn_platform/demo/<app>.py``)
and one step here. Idempotent: running it again finds what exists and adds nothing twice (on a
later day, it adds the registers of the days since).
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from django_tenants.utils import schema_context

from mbn_platform.demo.appointments import demo_appointments_seed
from mbn_platform.demo.attendance import attendance_seed
from mbn_platform.demo.billing import demo_billing_seed
from mbn_platform.demo.calendar import DemoYear, demo_year
from mbn_platform.demo.connectors import connectors_seed
from mbn_platform.demo.data import DEMO_SCHOOLS, STUDENTS_PER_CLASS, DemoSchool
from mbn_platform.demo.directory import demo_aaf_feed
from mbn_platform.demo.documents import demo_documents_seed
from mbn_platform.demo.forms import demo_forms_seed
from mbn_platform.demo.grades import grades_seed
from mbn_platform.demo.homework import demo_homework_seed
from mbn_platform.demo.messaging import demo_messaging_seed
from mbn_platform.demo.news import demo_news_seed
from mbn_platform.demo.notifications import demo_notifications_seed
from mbn_platform.demo.people import (
    MARTIN_CHILDREN,
    SchoolPeople,
    establishment_ensure,
    family_seed,
    personas_second_factor_seed,
    region_staff_seed,
    school_people_seed,
)
from mbn_platform.demo.school_year import changes_seed, lessons_seed, structure_seed
from mbn_platform.demo.schoollife import demo_school_life
from mbn_platform.demo.spaces import demo_spaces_seed
from tenant_apps.structure.models import SchoolYear
from tenants.models import Establishment


@dataclass
class DemoRun:
    """What one run of the seed works on and found."""

    today: datetime.date
    year: DemoYear
    #: Whether to enter the region-wide parts: the region's official calendar (zone holidays, bank
    #: holidays, which every establishment reads) and the académie's AAF feed (one a académie) —
    #: data the test session's own schools and feeds must not inherit.
    region_wide: bool = True
    establishments: dict[str, Establishment] = field(default_factory=dict)
    people: dict[str, SchoolPeople] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def demo_day(self) -> datetime.date:
        """Today when lessons take place today, else the next day they do (the demo's "today"
        for what a visitor should find: a weekend or a holiday has no lessons)."""
        return self.year.school_day_on_or_after(self.today)

    def schools(self) -> list[tuple[DemoSchool, Establishment, SchoolPeople]]:
        return [(s, self.establishments[s.subdomain], self.people[s.subdomain]) for s in DEMO_SCHOOLS]

    def add(self, name: str, count: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + count


def people_step(run: DemoRun) -> None:
    offset = 0
    for school in DEMO_SCHOOLS:
        establishment = establishment_ensure(school)
        run.establishments[school.subdomain] = establishment
        run.people[school.subdomain] = school_people_seed(school, establishment, offset)
        offset += len(school.classes) * STUDENTS_PER_CLASS
    family_seed(run.establishments, run.people)
    region_staff_seed()


def timetable_step(run: DemoRun) -> None:
    change_days = [run.demo_day, run.year.school_day_on_or_after(run.demo_day + datetime.timedelta(days=1))]
    for school, establishment, people in run.schools():
        with schema_context(establishment.schema_name):
            year = structure_seed(school, people, run.year)
            run.add("lessons", lessons_seed(school, people, year))
            if run.year.start <= run.demo_day <= run.year.end:
                run.add("changes", changes_seed(school, people, year, sorted(set(change_days))))


def attendance_step(run: DemoRun) -> None:
    for school, establishment, people in run.schools():
        with schema_context(establishment.schema_name):
            run.add("registers", attendance_seed(school, people, run.year, run.today))


def school_life_step(run: DemoRun) -> None:
    _school, establishment, people = run.schools()[0]  # the collège
    demo_school_life(establishment, people, region_calendar=run.region_wide)


def directory_step(run: DemoRun) -> None:
    """The académie de Strasbourg's AAF feed, its complete set applied to a collège of its own."""
    if run.region_wide:
        demo_aaf_feed()


def appointments_step(run: DemoRun) -> None:
    _school, establishment, people = run.schools()[0]  # the collège: Léa's class
    run.add("bookings", demo_appointments_seed(establishment, people))


def forms_step(run: DemoRun) -> None:
    _school, establishment, people = run.schools()[0]  # the collège: Léa's class
    run.add("form answers", demo_forms_seed(establishment, people))


def grades_step(run: DemoRun) -> None:
    for school, establishment, people in run.schools():
        with schema_context(establishment.schema_name):
            assessments, cards = grades_seed(school.subdomain, people, today=run.today)
            run.add("assessments", assessments)
            run.add("report cards", cards)


def notifications_step(run: DemoRun) -> None:
    from shared_apps.identity.models import User

    claire = User.objects.get(login="claire.martin")
    lea = User.objects.get(login="eleve.martin.lea")
    new = demo_notifications_seed(
        establishments=run.establishments, claire_id=claire.pk, lea_id=lea.pk, day=run.demo_day
    )
    if new:  # a second run adds none (and says nothing)
        run.add("notifications", new)


def homework_step(run: DemoRun) -> None:
    for school, establishment, _people in run.schools():
        class_name = next((c for sub, _login, _name, c in MARTIN_CHILDREN if sub == school.subdomain), None)
        made = demo_homework_seed(establishment, class_name, run.today) if class_name else 0
        if made:  # a run that adds nothing counts nothing
            run.add("notebook entries", made)


def messaging_step(run: DemoRun) -> None:
    for school, establishment, people in run.schools():
        made = demo_messaging_seed(establishment, people, school.subdomain)
        if made:
            run.add("threads", made)


def news_step(run: DemoRun) -> None:
    for school, establishment, people in run.schools():
        class_name = next((c for sub, _login, _name, c in MARTIN_CHILDREN if sub == school.subdomain), None)
        made = demo_news_seed(establishment, people, class_name)
        if made:  # a run that adds nothing counts nothing
            run.add("news and notices", made)


def documents_step(run: DemoRun) -> None:
    for school, establishment, _people in run.schools():
        student = next((login for sub, login, _name, _c in MARTIN_CHILDREN if sub == school.subdomain), None)
        made = demo_documents_seed(establishment, school.subdomain, student)
        if made:
            run.add("documents", made)


def spaces_step(run: DemoRun) -> None:
    for school, establishment, people in run.schools():
        made = demo_spaces_seed(establishment, people, school.subdomain)
        if made:
            run.add("forum topics", made)


def billing_step(run: DemoRun) -> None:
    demo_billing_seed([Establishment.objects.get(pk=e.pk) for e in run.establishments.values()])


def personas_step(run: DemoRun) -> None:
    """Last: the printed personas (some made by the steps above) get their known authenticator secret."""
    personas_second_factor_seed()


def connectors_step(run: DemoRun) -> None:
    run.add("connected applications", connectors_seed(run.establishments))


#: Every app's part of the demo, in order (a later step may use what an earlier one made).
DEMO_STEPS: list[Callable[[DemoRun], None]] = [
    people_step,
    timetable_step,
    attendance_step,
    school_life_step,
    directory_step,
    appointments_step,
    forms_step,
    grades_step,
    notifications_step,
    homework_step,
    messaging_step,
    news_step,
    documents_step,
    spaces_step,
    billing_step,
    connectors_step,
    personas_step,
]


def demo_seed(*, today: datetime.date | None = None, region_wide: bool = True) -> DemoRun:
    """Seed (or complete) the demo; returns what it worked on, with its run time."""
    started = time.monotonic()
    today = today or timezone.localdate()
    run = DemoRun(today=today, year=demo_year(today), region_wide=region_wide)
    for step in DEMO_STEPS:
        step(run)
    run.seconds = time.monotonic() - started
    return run


def demo_school_year(establishment: Establishment) -> SchoolYear | None:
    with schema_context(establishment.schema_name):
        return SchoolYear.objects.filter(is_current=True).first()
