"""A class's results of a period from the database, checked by hand: subject averages with the
assessments' coefficients and scales, optional and bonus grades, special marks, the subjects'
coefficients in the overall average, the class's spread, the establishment's rounding; and the
API's policy."""

from __future__ import annotations

from decimal import Decimal as D  # noqa: N817

from django_tenants.utils import schema_context

from tenant_apps.grades.results import class_results
from tenant_apps.grades.services import grading_policy_set, subject_coefficient_set
from tests.conftest import client_for
from tests.grades.helpers import assessment, enter
from tests.timetable.helpers import School


def test_class_results_by_hand(school: School):
    a, b, c = (s.pk for s in school.students)
    test1 = assessment(school, scale="10", coefficient="2")  # a 7/10 → 14, b 5/10 → 10, c Abs
    enter(school, test1, {a: "7", b: "5", c: "abs"})
    test2 = assessment(school, title="DS", coefficient="1")  # a 11, b NR → 0, c 16
    enter(school, test2, {a: "11", b: "nr", c: "16"})
    extra = assessment(school, title="Exposé", kind="optional")  # a 9 (lower: left out), b 18
    enter(school, extra, {a: "9", b: "18"})
    bonus = assessment(school, title="Défi", kind="bonus")  # c 14 → +4 / 1
    enter(school, bonus, {c: "14"})
    english = assessment(school, subject=school.english, school_class=None, group=school.group)
    enter(school, english, {a: "15"})  # only the first student takes the English group here
    with schema_context(school.establishment.schema_name):
        subject_coefficient_set(actor=school.extra["head"], subject=school.math, coefficient=D(3))
        results = class_results(
            period=school.extra["t1"], school_class=school.school_class, published_only=False
        )
    math = {
        pk: next(line for line in r.lines if line.subject.pk == school.math.pk) for pk, r in results.items()
    }
    lines = {pk: {line.subject.pk: line for line in r.lines} for pk, r in results.items()}
    with schema_context(school.establishment.schema_name):
        pks = {u.pk: school.m(u).pk for u in school.students}
    # a: (14 x 2 + 11) / 3 = 13; the optional 9 is below: 13.00
    assert math[pks[a]].average == D("13.00")
    # b: (10 x 2 + 0) / 3 = 6.666…; the optional 18 raises it: (20 + 18) / 4 = 9.50
    assert math[pks[b]].average == D("9.50")
    # c: 16 / 1 = 16, bonus (14 - 10) x 1 / 1 = +4 → 20 (capped at 20)
    assert math[pks[c]].average == D("20.00")
    # The class: (13 + 9.5 + 20) / 3 = 14.1666… → 14.17, min 9.5, max 20
    assert (math[pks[a]].class_average, math[pks[a]].class_minimum, math[pks[a]].class_maximum) == (
        D("14.17"),
        D("9.50"),
        D("20.00"),
    )
    # Overall for a: (13 x 3 + 15 x 1) / 4 = 13.50; b and c have no English line.
    assert results[pks[a]].overall == D("13.50")
    assert school.english.pk not in lines[pks[b]] and results[pks[b]].overall == D("9.50")
    # Rounded to the half point: b 9.5 stays, the class's math average 14.1666… → 14.0
    with schema_context(school.establishment.schema_name):
        grading_policy_set(actor=school.extra["head"], rounding="0.5")
        rounded = class_results(
            period=school.extra["t1"], school_class=school.school_class, published_only=False
        )
    assert next(
        line for line in rounded[pks[a]].lines if line.subject.pk == school.math.pk
    ).class_average == D("14.0")
    # Only published assessments count for families: none are.
    with schema_context(school.establishment.schema_name):
        family = class_results(
            period=school.extra["t1"], school_class=school.school_class, published_only=True
        )
    assert all(not r.lines and r.overall is None for r in family.values())


def test_the_policy_api(school: School):
    head = client_for(school.extra["head"], school.establishment, api=True)
    assert head.get("/api/v1/grades/policy/").json() == {"rounding": "0.01", "skills_enabled": False}
    assert head.put("/api/v1/grades/policy/", {"rounding": "0.1"}, format="json").json()["rounding"] == "0.1"
    # The policy is cached per establishment: the change is read at once.
    assert head.get("/api/v1/grades/policy/").json() == {"rounding": "0.1", "skills_enabled": False}
    assert head.put("/api/v1/grades/policy/", {"rounding": "0.3"}, format="json").status_code == 400
    teacher = client_for(school.teacher, school.establishment, api=True)
    assert teacher.put("/api/v1/grades/policy/", {"rounding": "1"}, format="json").status_code == 403
