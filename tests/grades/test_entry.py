"""A teacher sets an assessment and enters its grades (API and grid page): values on any scale,
special marks, every cell checked before anything is written, the class's spread; grades
changed after publication are audited cell by cell."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from shared_apps.audit.models import AuditEntry
from tenant_apps.grades.models import Grade
from tests.conftest import client_for
from tests.grades.helpers import assessment, enter
from tests.timetable.helpers import School

API = "/api/v1/grades"


def test_the_teacher_sets_an_assessment_and_enters_a_column(school: School):
    api = client_for(school.teacher, school.establishment, api=True)
    body = {
        "title": "Fractions",
        "date": "2026-10-05",
        "subject_id": school.math.pk,
        "period_id": school.extra["t1"].pk,
        "class_id": school.school_class.pk,
        "scale": "10",
        "coefficient": "2",
    }
    created = api.post(f"{API}/assessments/", body, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    a, b, c = (s.pk for s in school.students)
    put = api.put(
        f"{API}/assessments/{pk}/grades/",
        {"cells": {str(a): "7,5", str(b): "abs", str(c): "NR"}},
        format="json",
    )
    assert put.status_code == 200, put.json()
    assert {(r["student_id"], r["value"], r["mark"]) for r in put.json()} == {
        (a, "7.50", ""),
        (b, None, "absent"),
        (c, None, "not_handed_in"),
    }
    # Class average, min, max over the grades that count: 7.5 and 0 (not handed in) → 3.75.
    detail = api.get(f"{API}/assessments/{pk}/").json()
    assert detail["spread"] == {"average": "3.75", "minimum": "0.00", "maximum": "7.50", "count": 2}


def test_bad_cells_are_400_per_field_and_nothing_is_written(school: School):
    found = assessment(school, scale="20")
    api = client_for(school.teacher, school.establishment, api=True)
    a, b, c = (s.pk for s in school.students)
    answer = api.put(
        f"{API}/assessments/{found.pk}/grades/",
        {"cells": {str(a): "12", str(b): "21", str(c): "12.555", str(school.other_student.pk): "10"}},
        format="json",
    )
    assert answer.status_code == 400
    fields = answer.json()["error"]["fields"]
    assert set(fields) == {f"student_{b}", f"student_{c}", f"student_{school.other_student.pk}"}
    with schema_context(school.establishment.schema_name):
        assert not Grade.objects.filter(assessment=found).exists()
    for bad in ({"cells": {"x": "1"}}, {"cells": "12"}, {}):
        assert api.put(f"{API}/assessments/{found.pk}/grades/", bad, format="json").status_code == 400
    for bad_body in ({"title": ""}, {"title": "x", "date": "2026-13-01"}):
        assert api.post(f"{API}/assessments/", bad_body, format="json").status_code == 400
    # Outside its period, a class the teacher does not teach, a scale of 0: named fields.
    base = {"title": "x", "subject_id": school.math.pk, "period_id": school.extra["t1"].pk}
    answer = api.post(
        f"{API}/assessments/",
        {**base, "date": "2027-01-05", "class_id": school.school_class.pk, "scale": "0"},
        format="json",
    )
    assert answer.status_code == 400 and set(answer.json()["error"]["fields"]) == {"date", "scale"}
    answer = api.post(
        f"{API}/assessments/",
        {**base, "date": "2026-10-05", "class_id": school.other_class.pk},
        format="json",
    )
    assert answer.status_code == 400 and "subject" in answer.json()["error"]["fields"]
    assert (
        api.post(
            f"{API}/assessments/", {**base, "date": "2026-10-05", "class_id": 999999}, format="json"
        ).status_code
        == 400
    )


def test_grades_changed_after_publication_are_audited_cell_by_cell(school: School):
    found = assessment(school, published_on=timezone.localdate())
    a = school.students[0].pk
    enter(school, found, {a: "12"})
    enter(school, found, {a: "13,5"})
    entries = AuditEntry.objects.filter(
        action="grades.grades_changed_after_publication",
        actor_id=school.teacher.pk,
        target_id=str(found.pk),
    ).order_by("pk")
    assert [e.details["changes"][str(a)] for e in entries] == [
        {"from": "", "to": "12.00"},
        {"from": "12.00", "to": "13.50"},
    ]
    unpublished = assessment(school, title="Brouillon")
    enter(school, unpublished, {a: "9"})
    assert AuditEntry.objects.filter(
        action="grades.grades_entered",
        target_id=str(unpublished.pk),
        actor_id=school.teacher.pk,
    ).exists()


def test_the_grid_page_saves_a_column_and_shows_errors_in_place(school: School):
    found = assessment(school)
    page = client_for(school.teacher, school.establishment)
    url = f"/grades/assessments/{found.pk}/"
    shown = page.get(url)
    html = shown.content.decode()
    assert shown.status_code == 200 and "data-grade-grid" in html and "grades-grid.js" in html
    a, b, c = (s.pk for s in school.students)
    bad = page.post(url, {f"student_{a}": "12", f"student_{b}": "douze", f"student_{c}": ""})
    assert bad.status_code == 400 and 'aria-invalid="true"' in bad.content.decode()
    with CaptureQueriesContext(connection) as queries:
        saved = page.post(url, {f"student_{a}": "12", f"student_{b}": "Disp", f"student_{c}": "8,25"})
    assert saved.status_code == 302
    assert len(queries) <= 30
    with schema_context(school.establishment.schema_name):
        assert {(g.value, g.mark) for g in Grade.objects.filter(assessment=found)} == {
            (Decimal("12.00"), ""),
            (None, "exempt"),
            (Decimal("8.25"), ""),
        }
    published = page.post(url, {"action": "publish", "published_on": "2026-10-06"})
    assert published.status_code == 302
    found.refresh_from_db()
    assert found.published_on == datetime.date(2026, 10, 6)
    # The leadership reads the grid; the other teacher does not find it.
    head = client_for(school.extra["head"], school.establishment).get(url)
    assert head.status_code == 200 and "Save the grades" not in head.content.decode()
    assert client_for(school.other_teacher, school.establishment).get(url).status_code == 404
    form = page.get("/grades/assessments/new/")
    assert form.status_code == 200 and "Mathématiques" in form.content.decode()
    created = page.post(
        "/grades/assessments/new/",
        {
            "title": "Devoir maison",
            "target": f"{school.math.pk}:{school.school_class.pk}:0",
            "period": school.extra["t1"].pk,
            "date": "2026-10-12",
            "scale": "20",
            "coefficient": "0.5",
            "kind": "optional",
        },
    )
    assert created.status_code == 302, created.content.decode()[:3000]
    assert page.post("/grades/assessments/new/", {"title": ""}).status_code == 400
