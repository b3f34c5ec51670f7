"""The statistics pages: a class over a period, a student's page ("My attendance", a guardian's
child), the counts on the family page; who sees what; bounded queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from shared_apps.identity.roles import Role
from tenant_apps.attendance.halfdays import Counts
from tenant_apps.structure.models import Period
from tenant_apps.structure.services import period_create
from tests.attendance.test_absences import take
from tests.conftest import client_for
from tests.factories import member
from tests.timetable.helpers import School, t


@pytest.fixture
def period(school: School) -> Period:
    with schema_context(school.establishment.schema_name):
        period_create(
            actor=None,
            year=school.year,
            name="T2",
            kind="trimester",
            start=datetime.date(2026, 12, 1),
            end=datetime.date(2027, 3, 31),
        )
        return period_create(
            actor=None,
            year=school.year,
            name="T1",
            kind="trimester",
            start=datetime.date(2026, 9, 1),
            end=datetime.date(2026, 11, 30),
        )


@pytest.fixture
def absences(school: School, period: Period) -> School:
    """Monday of week A: the first student absent all day (two half-days), the second late 10
    minutes in the first lesson; then an accepted justification for the first student's morning
    only would be a different test: here nothing is justified."""
    morning1 = school.lesson(start_time=t("08:00"), end_time=t("09:00"))
    morning2 = school.lesson(start_time=t("10:00"), end_time=t("11:00"), subject=school.english)
    afternoon = school.lesson(start_time=t("14:00"), end_time=t("15:00"))
    child, other = school.students[0], school.students[1]
    for lesson in (morning1, morning2, afternoon):
        take(school, lesson, {child: "absent", other: "late" if lesson == morning1 else "present"})
    return school


def stats_page(user, school: School, **params):
    return client_for(user, school.establishment).get("/attendance/statistics/", params)


def test_school_life_reads_a_class_per_student_with_totals(absences: School, period: Period):
    school = absences
    page = stats_page(school.school_life, school, **{"class": school.school_class.pk, "period": period.pk})
    assert page.status_code == 200
    rows = {s.user_id: c for s, c in page.context["table"].rows}
    assert rows[school.students[0].pk] == Counts(half_days=2, justified=0, unjustified=2)
    assert rows[school.students[1].pk] == Counts(late=1, late_minutes=10)
    assert rows[school.students[2].pk] == Counts()
    assert page.context["table"].total == Counts(half_days=2, unjustified=2, late=1, late_minutes=10)
    html = page.content.decode()
    assert (
        "<caption>" in html
        and 'scope="row"' in html
        and f"/attendance/students/{school.students[0].pk}/" in html
    )
    # The default period is today's (T1 runs to 30 November 2026), or, on a later day, the last
    # one begun: either way, the numbers are those of a period holding the absences or not.
    default = stats_page(school.school_life, school, **{"class": school.school_class.pk})
    assert default.status_code == 200 and default.context["span"].period_id is not None
    # Another period: nothing.
    with schema_context(school.establishment.schema_name):
        t2 = Period.objects.get(name="T2")
    later = stats_page(school.school_life, school, **{"class": school.school_class.pk, "period": t2.pk})
    assert later.context["table"].total == Counts()
    assert stats_page(school.school_life, school, **{"period": 999999}).status_code == 404


def test_a_teacher_reads_the_classes_they_teach_only(absences: School, period: Period):
    school = absences
    mine = stats_page(school.teacher, school, **{"class": school.school_class.pk, "period": period.pk})
    assert mine.status_code == 200
    assert [c.pk for c in mine.context["classes"]] == [school.school_class.pk]
    assert stats_page(school.teacher, school, **{"class": school.other_class.pk}).status_code == 404
    # A teacher of another class only.
    school.lesson(teacher=school.other_teacher, room=school.other_room, school_class=school.other_class)
    other = client_for(school.other_teacher, school.establishment)
    assert other.get("/attendance/statistics/", {"class": school.school_class.pk}).status_code == 404
    assert other.get(f"/attendance/students/{school.students[0].pk}/").status_code == 404
    assert other.get("/attendance/statistics/", {"class": school.other_class.pk}).status_code == 200
    # Students, guardians and administrative staff do not read class statistics.
    for user in (school.students[0], school.guardian, school.admin):
        assert stats_page(user, school).status_code == 403
    # The API follows the same rule.
    api = client_for(school.other_teacher, school.establishment, api=True)
    assert api.get(f"/api/v1/attendance/classes/{school.school_class.pk}/statistics/").status_code == 404
    assert api.get(f"/api/v1/attendance/students/{school.students[0].pk}/statistics/").status_code == 404
    assert api.get(f"/api/v1/attendance/classes/{school.other_class.pk}/statistics/").status_code == 200
    mine_api = client_for(school.teacher, school.establishment, api=True).get(
        f"/api/v1/attendance/classes/{school.school_class.pk}/statistics/", {"period": period.pk}
    )
    assert {r["user_id"]: r["counts"]["unjustified"] for r in mine_api.json()}[school.students[0].pk] == 2
    admin = client_for(school.admin, school.establishment, api=True)
    assert admin.get(f"/api/v1/attendance/classes/{school.school_class.pk}/statistics/").status_code == 403


def test_a_student_reads_their_own_page_and_a_guardian_their_childs(absences: School, period: Period):
    school = absences
    child, other = school.students[0], school.students[1]
    guardian = client_for(school.guardian, school.establishment)
    page = guardian.get(f"/attendance/students/{child.pk}/", {"period": period.pk})
    assert page.status_code == 200
    assert page.context["counts"] == Counts(half_days=2, unjustified=2)
    assert len(page.context["marks"]) == 3
    assert "Mathématiques" in page.content.decode() and "Anglais" in page.content.decode()
    assert guardian.get(f"/attendance/students/{other.pk}/").status_code == 404

    own = client_for(other, school.establishment)
    mine = own.get("/attendance/me/", {"period": period.pk})
    assert mine.status_code == 200 and mine.context["mine"] is True
    assert mine.context["counts"] == Counts(late=1, late_minutes=10)
    assert own.get(f"/attendance/students/{other.pk}/").status_code == 200
    assert own.get(f"/attendance/students/{child.pk}/").status_code == 404
    assert client_for(school.guardian, school.establishment).get("/attendance/me/").status_code == 403

    # Staff: school-life staff and the class's teacher.
    assert (
        client_for(school.school_life, school.establishment)
        .get(f"/attendance/students/{child.pk}/")
        .status_code
        == 200
    )
    assert (
        client_for(school.teacher, school.establishment).get(f"/attendance/students/{child.pk}/").status_code
        == 200
    )
    # Another guardian, not linked.
    stranger = client_for(member(school.establishment, Role.GUARDIAN), school.establishment)
    assert stranger.get(f"/attendance/students/{child.pk}/").status_code == 404


def test_the_family_page_shows_each_childs_counts_of_the_current_period(absences: School):
    school = absences
    page = client_for(school.guardian, school.establishment).get("/attendance/family/")
    assert page.status_code == 200
    [(child, _marks, counts)] = page.context["children"]
    assert child.user_id == school.students[0].pk
    span = page.context["span"]
    expected = (
        Counts(half_days=2, unjustified=2)
        if span.start <= datetime.date(2026, 9, 14) <= span.end
        else Counts()
    )
    assert counts == expected
    assert f"/attendance/students/{school.students[0].pk}/" in page.content.decode()


def test_statistics_pages_run_a_bounded_number_of_queries(absences: School, period: Period):
    school = absences
    params = {"class": school.school_class.pk, "period": period.pk}
    life = client_for(school.school_life, school.establishment)
    life.get("/attendance/statistics/", params)  # warm per-process caches

    def measured(path: str, data: dict) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert life.get(path, data).status_code == 200
        return len(queries.captured_queries)

    before = measured("/attendance/statistics/", params)
    student_before = measured(f"/attendance/students/{school.students[0].pk}/", {"period": period.pk})
    # Five more students in the class, all absent in a new lesson; more absences for the first.
    more = [member(school.establishment, Role.STUDENT, class_name=school.school_class.name) for _ in range(5)]
    lesson = school.lesson(start_time=t("16:00"), end_time=t("17:00"))
    take(school, lesson, dict.fromkeys([*more, school.students[0]], "absent"))
    after = measured("/attendance/statistics/", params)
    student_after = measured(f"/attendance/students/{school.students[0].pk}/", {"period": period.pk})
    assert after == before, (before, after)
    assert student_after == student_before
    assert before <= 14
    page = life.get("/attendance/statistics/", params)
    assert len(page.context["table"].rows) == 8
