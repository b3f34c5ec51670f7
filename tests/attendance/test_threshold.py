"""The monthly list of students over the legal threshold (four unjustified half-days), on
hand-computed data; absences recorded by school life without a register count with the marks.

September 2026, lessons of 6e T on Mondays at 08:00 (morning) and 14:00 (afternoon):
- A: absent Monday 14/9 morning and afternoon, Monday 21/9 morning (registers); school life
  records A absent from Monday 21/9 morning to Tuesday 22/9 afternoon, unjustified: 21/9
  morning counts once, so 14am 14pm 21am 21pm 22am 22pm = 6 unjustified: listed.
- B: absent 14/9 morning and afternoon, 21/9 morning; 21/9 justified (accepted); school life
  records B absent on 28/9, justified: 2 unjustified, 3 justified: not listed.
- C: absent the morning of each Monday 7, 14, 21, 28/9 = 4 unjustified: listed (the threshold
  is reached); C's absence of 5/10 is October's.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from tenant_apps.attendance.models import AbsencePeriod, Justification, JustificationStatus, NoticeState
from tenant_apps.attendance.selectors import register_sheet
from tenant_apps.attendance.services import absence_period_record
from tenant_apps.attendance.threshold import threshold_list
from tenant_apps.timetable.selectors import lesson_occurrence
from tests.attendance.test_absences import take
from tests.conftest import client_for
from tests.timetable.helpers import School, t

D = datetime.date
SEPTEMBER = D(2026, 9, 1)


@pytest.fixture
def month(school: School) -> School:
    morning = school.lesson(start_time=t("08:00"), end_time=t("09:00"))
    afternoon = school.lesson(start_time=t("14:00"), end_time=t("15:00"), subject=school.english)
    a, b, c = school.students
    for day, lesson, absent in (
        (D(2026, 9, 7), morning, [c]),
        (D(2026, 9, 14), morning, [a, b, c]),
        (D(2026, 9, 14), afternoon, [a, b]),
        (D(2026, 9, 21), morning, [a, b, c]),
        (D(2026, 9, 28), morning, [c]),
        (D(2026, 10, 5), morning, [c]),
    ):
        take(school, lesson, {s: "absent" if s in absent else "present" for s in school.students}, day=day)
    with schema_context(school.establishment.schema_name):
        absence_period_record(
            actor=school.school_life,
            student=school.m(a),
            start=D(2026, 9, 21),
            end=D(2026, 9, 22),
            reason="family",
        )
        absence_period_record(
            actor=school.school_life,
            student=school.m(b),
            start=D(2026, 9, 28),
            end=D(2026, 9, 28),
            reason="illness",
            justified=True,
        )
        Justification.objects.create(
            student=school.m(b),
            start=D(2026, 9, 21),
            end=D(2026, 9, 21),
            reason="medical",
            status=JustificationStatus.ACCEPTED,
            submitted_by_id=school.guardian.pk,
        )
    return school


def test_the_list_holds_the_students_at_four_unjustified_half_days_or_more(month: School):
    school = month
    a, b, c = school.students
    with schema_context(school.establishment.schema_name):
        rows = threshold_list(month=SEPTEMBER)
        found = {r.student.user_id: (r.counts.unjustified, r.counts.justified) for r in rows}
        assert found == {a.pk: (6, 0), c.pk: (4, 0)}
        assert threshold_list(month=D(2026, 10, 1)) == []  # C's one October half-day
    page = client_for(school.school_life, school.establishment).get(
        "/attendance/threshold/", {"month": "2026-09"}
    )
    assert page.status_code == 200 and a.display_name in page.content.decode()
    assert b.display_name not in page.content.decode()
    csv_text = (
        client_for(school.extra.get("head") or school.school_life, school.establishment)
        .get("/attendance/threshold.csv", {"month": "2026-09"})
        .content.decode("utf-8-sig")
    )
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("Month;Class;Student") and len(lines) == 3
    assert any(line.endswith(";6;0;6") and a.display_name in line for line in lines)
    api = client_for(school.school_life, school.establishment, api=True).get(
        "/api/v1/attendance/threshold/?month=2026-09"
    )
    assert sorted((r["student"], r["unjustified"]) for r in api.json()) == sorted([(a.pk, 6), (c.pk, 4)])
    assert (
        client_for(school.school_life, school.establishment)
        .get("/attendance/threshold/", {"month": "2026-13"})
        .status_code
        == 400
    )
    for user in (school.teacher, school.guardian, school.students[0]):
        assert client_for(user, school.establishment).get("/attendance/threshold/").status_code == 403
        assert client_for(user, school.establishment).get("/attendance/threshold.csv").status_code == 403


def test_a_recorded_absence_shows_in_the_register_and_sends_no_notice(school: School, monkeypatch):
    lesson = school.lesson()
    monday = D(2026, 9, 14)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: monday)
    with schema_context(school.establishment.schema_name):
        child = school.m(school.students[0])
        period = absence_period_record(
            actor=school.school_life, student=child, start=monday, end=monday, reason="illness"
        )
        sheet = register_sheet(occurrence=lesson_occurrence(lesson_id=lesson.pk, day=monday))
        assert {r.student.pk: r.status for r in sheet.rows}[child.pk] == "absent"
    take(school, lesson, {school.students[0]: "absent"}, day=monday)
    with schema_context(school.establishment.schema_name):
        mark = child.attendance_marks.get()
        assert mark.notice == NoticeState.NONE
        assert AbsencePeriod.objects.filter(pk=period.pk).exists()


def test_the_absences_page_records_and_removes_and_only_school_life_uses_it(school: School):
    with schema_context(school.establishment.schema_name):
        child = school.m(school.students[0])
    life = client_for(school.school_life, school.establishment)
    assert life.get("/attendance/absences/").status_code == 200
    form = {
        "student": child.pk,
        "start": "2026-09-14",
        "start_half": "pm",
        "end": "2026-09-14",
        "end_half": "am",
        "reason": "illness",
    }
    assert life.post("/attendance/absences/", form).status_code == 400  # ends before it starts
    assert life.post("/attendance/absences/", {**form, "end": "2026-09-15"}).status_code == 302
    with schema_context(school.establishment.schema_name):
        period = AbsencePeriod.objects.get(student=child)
    assert life.post("/attendance/absences/", {"delete": period.pk}).status_code == 302
    api = client_for(school.school_life, school.establishment, api=True)
    created = api.post(
        "/api/v1/attendance/absences/",
        {"student": school.students[1].pk, "start": "2026-09-14", "end": "2026-09-16", "reason": "family"},
        format="json",
    )
    assert created.status_code == 201 and api.get("/api/v1/attendance/absences/").json()["count"] == 1
    assert api.delete(f"/api/v1/attendance/absences/{created.json()['id']}/").status_code == 204
    for user in (school.teacher, school.guardian):
        assert client_for(user, school.establishment).get("/attendance/absences/").status_code == 403
        assert (
            client_for(user, school.establishment, api=True).get("/api/v1/attendance/absences/").status_code
            == 403
        )
