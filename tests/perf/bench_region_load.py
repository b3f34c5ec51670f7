"""The region load test: locust (headless) against the platform served by gunicorn, for the two
peaks of a school week, then a bare Django view served the same way (the ratio).

* "Monday 8 am": students open their school, their week and their attendance; teachers their
  week and a register of theirs.
* "Report-card evening": guardians sign in (the sign-in page and its form: a new session each
  time round), open the portal (their children's week), the report cards' page, a child's
  report card (the PDF), the child's grades and attendance.

The people are the demo's (mbn_platform/demo: believable schools, classes, timetables and
registers), signed in beforehand; the region is whatever the session holds (the region
benchmark's 100 or 841 establishments when it ran before). Prints requests per second, p50 / p95
/ p99 per page, the error count (must be 0), the database's connections and CPU during the run,
and the sustained req/s against the bare view's. Not a timed test: ``MBN_LOAD_SECONDS`` and
``MBN_LOAD_USERS`` make it longer and heavier (`make bench`).
"""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django_tenants.utils import schema_context

from mbn_platform.demo.data import DEMO_PASSWORD
from shared_apps.identity.models import User
from shared_apps.identity.second_factor import session_second_factor_mark
from tenant_apps.attendance.selectors import registers_not_taken
from tenant_apps.reportcards.models import ReportCard
from tenant_apps.school.models import Member
from tenants.models import Establishment
from tests.conftest import DEMO_BASE_DOMAIN
from tests.perf.http_load import gunicorn
from tests.perf.load.run import LoadRun, locust_run, warm_up

pytestmark = pytest.mark.perf
BENCH_AFTER_REGION = True

SECONDS = float(os.environ.get("MBN_LOAD_SECONDS", "4"))
USERS = int(os.environ.get("MBN_LOAD_USERS", "8"))
WORKERS = int(os.environ.get("MBN_LOAD_WEB_WORKERS", "2"))
PER_SCHOOL = 6  # people of each kind a school


def _cookie(user: User) -> str:
    client = Client()
    client.force_login(user)
    session = client.session
    session_second_factor_mark(session=session, user=user)  # staff: as after a real sign-in
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _registers(school: Establishment) -> dict[int, str]:
    """A register to open for teachers of the school (user id -> path): the last school day's."""
    day = datetime.datetime.now(tz=datetime.UTC).date()
    with schema_context(school.schema_name):
        for _ in range(10):
            day -= datetime.timedelta(days=1)
            found = [o for o in registers_not_taken(day=day) if o.lesson_id is not None]
            if found:
                members = dict(
                    Member.objects.filter(pk__in={o.teacher_id for o in found}).values_list("pk", "user_id")
                )
                return {
                    members[o.teacher_id]: reverse(
                        "attendance-register", args=(o.lesson_id, o.occurrence_date.isoformat())
                    )
                    for o in found
                    if o.teacher_id in members
                }
    return {}


def _report_cards(school: Establishment, students: list[User]) -> dict[int, int]:
    """The current report card of each of these students who has one (user id -> card id)."""
    with schema_context(school.schema_name):
        return dict(
            ReportCard.objects.filter(
                student__user_id__in=[s.pk for s in students], is_current=True
            ).values_list("student__user_id", "pk")
        )


def _evening(guardian: User, student: User, host: str, card: int | None) -> dict[str, Any]:
    pages = [
        ["guardian: portal, children's week", "/", DEMO_BASE_DOMAIN],
        ["guardian: report cards", "/reportcards/", host],
    ]
    if card is not None:
        pages.append(["guardian: a report card (PDF)", f"/reportcards/{card}/pdf/", host])
    pages += [
        ["guardian: child's grades", f"/grades/students/{student.pk}/", host],
        ["guardian: child's attendance", "/attendance/family/", host],
    ]
    return {
        "cookie": _cookie(guardian),  # the warm-up's; the load signs in
        "sign_in": {"host": DEMO_BASE_DOMAIN, "login": guardian.login, "password": DEMO_PASSWORD},
        "pages": pages,
    }


def _people(demo: Any) -> dict[str, list[dict[str, Any]]]:
    monday: list[dict[str, Any]] = []
    evening: list[dict[str, Any]] = []
    for key, people in demo.people.items():
        school = demo.establishments[key]
        host = school.domains.get(is_primary=True).domain
        students = [s for class_students in people.students.values() for s in class_students]
        for student in students[:PER_SCHOOL]:
            monday.append(
                {
                    "cookie": _cookie(student),
                    "pages": [
                        ["student: school home", "/", host],
                        ["student: timetable week", "/timetable/", host],
                        ["student: my attendance", "/attendance/me/", host],
                    ],
                }
            )
        registers = _registers(school)
        for teacher in people.teachers[:PER_SCHOOL]:
            pages = [["teacher: timetable week", "/timetable/", host]]
            if teacher.pk in registers:
                pages.append(["teacher: a register", registers[teacher.pk], host])
            monday.append({"cookie": _cookie(teacher), "pages": pages})
        # Guardians of children with a report card first (the demo publishes some classes' once
        # a period is over: none before the first one ends).
        cards = _report_cards(school, students)
        for student in sorted(students, key=lambda s: s.pk not in cards)[:PER_SCHOOL]:
            evening.append(_evening(people.guardians[student.pk], student, host, cards.get(student.pk)))
    return {
        "monday": monday,
        "evening": evening,
        "bare": [{"pages": [["bare Django view", "/", "localhost"]]}],
    }


def test_region_load(demo: Any, django_db_blocker: Any, bench_report: Any, tmp_path: Path) -> None:
    with django_db_blocker.unblock():
        sessions_before = set(Session.objects.values_list("session_key", flat=True))
        people = _people(demo)
        establishments = Establishment.objects.count()
    sessions = tmp_path / "sessions.json"
    sessions.write_text(json.dumps(people))
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {"DATABASE_URL": url, "MBN_ENV": "test", "MBN_BASE_DOMAIN": DEMO_BASE_DOMAIN}
    runs: dict[str, LoadRun] = {}
    try:
        with gunicorn("mbn_platform.config.wsgi:application", env=env, workers=WORKERS) as port:
            warm_up(port, people["monday"] + people["evening"], rounds=2 * WORKERS)
            for scenario in ("monday", "evening"):
                runs[scenario] = locust_run(
                    port=port,
                    scenario=scenario,
                    sessions=sessions,
                    users=USERS,
                    seconds=SECONDS,
                    workdir=tmp_path,
                    database=(url.replace("postgres://", "postgresql://"), str(db["NAME"])),
                )
        bare_env = {"DJANGO_SETTINGS_MODULE": "tests.perf.bare_project.settings"}
        with gunicorn("tests.perf.bare_project.wsgi:application", env=bare_env, workers=WORKERS) as port:
            runs["bare"] = locust_run(
                port=port, scenario="bare", sessions=sessions, users=USERS, seconds=SECONDS, workdir=tmp_path
            )
    finally:
        with django_db_blocker.unblock():
            Session.objects.exclude(session_key__in=sessions_before).delete()

    bench_report(
        f"region load ({establishments} establishments, {len(people['monday'])} + {len(people['evening'])} "
        f"people signed in, {USERS} users, {SECONDS:.0f} s a scenario, {WORKERS} gunicorn workers):"
    )
    for scenario, label in (("monday", "Monday 8 am"), ("evening", "report-card evening")):
        for line in runs[scenario].lines(label):
            bench_report(line)
    bare = runs["bare"].total.rps
    for scenario in ("monday", "evening"):
        bench_report(
            f"{scenario}: {runs[scenario].total.rps:,.0f} req/s sustained vs bare Django view "
            f"{bare:,.0f} req/s: ratio {runs[scenario].total.rps / bare:.3f}"
        )
    evening_pages = {page.name for page in runs["evening"].pages}
    assert {"guardian: sign in", "guardian: report cards", "guardian: child's grades"} <= evening_pages
    with_pdf = any("/pdf/" in path for person in people["evening"] for _name, path, _host in person["pages"])
    assert with_pdf == ("guardian: a report card (PDF)" in evening_pages)
    for scenario, run in runs.items():
        assert run.total.requests > 0, scenario
        assert run.total.failures == 0, [(p.name, p.failures) for p in run.pages]
