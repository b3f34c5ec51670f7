"""A student's week view and saving a register (35 students), each timed over many requests
(p50/p95), against the foundation's minimal tenant view (``/ping``) in the same run, interleaved
so that machine noise hits them alike. Prints the ratios; not a timed test."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from tests.conftest import client_for
from tests.timetable.helpers import WEEK_A, make_school, t

pytestmark = pytest.mark.perf

REQUESTS = 200


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _time(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def test_student_week_and_register_save_vs_ping(school_b, bench_report):
    school = make_school(school_b, students=35, prefix="B")
    for weekday in range(5):
        for hour in (8, 9, 10, 11, 14, 15):
            school.lesson(weekday=weekday, start_time=t(f"{hour:02d}:00"), end_time=t(f"{hour:02d}:55"))
    school.lesson(
        group=school.group, subject=school.english, weekday=2, start_time=t("13:00"), end_time=t("13:55")
    )
    register_lesson = school.lesson(weekday=0, start_time=t("16:00"), end_time=t("16:55"))
    student: Client = client_for(school.students[0], school_b)
    teacher: Client = client_for(school.teacher, school_b)
    with schema_context(school_b.schema_name):
        ids = [school.m(s).pk for s in school.students]
    register_url = f"/attendance/register/{register_lesson.pk}/{WEEK_A.isoformat()}/"
    week_url = f"/timetable/?date={WEEK_A.isoformat()}"

    def ping() -> None:
        assert student.get("/ping").status_code == 200

    def week() -> None:
        assert student.get(week_url).status_code == 200

    def save(n: int) -> None:
        form = {f"status-{pk}": "present" for pk in ids}
        form[f"status-{ids[n % len(ids)]}"] = "absent"  # a change each time: real writes
        assert teacher.post(register_url, form).status_code == 302

    for _ in range(10):  # warm up caches and connections
        ping(), week(), save(0)
    pings, weeks, saves = [], [], []
    for n in range(REQUESTS):
        pings.append(_time(ping))
        weeks.append(_time(week))
        saves.append(_time(lambda n=n: save(n)))

    base50, base95 = _p(pings, 0.5), _p(pings, 0.95)
    for label, values in (
        ("student's week page (31 lessons)", weeks),
        ("saving a register of 35 students", saves),
    ):
        p50, p95 = _p(values, 0.5), _p(values, 0.95)
        bench_report(
            f"{label}: p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms = "
            f"{p50 / base50:.1f}x / {p95 / base95:.1f}x "
            f"the minimal tenant view /ping (p50 {base50 * 1000:.2f} ms, p95 {base95 * 1000:.2f} ms); "
            f"{REQUESTS} requests each, interleaved"
        )
    assert statistics.median(weeks) > 0 and statistics.median(saves) > 0
