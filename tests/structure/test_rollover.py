"""Year rollover: a dry run, then the same plan applied; last year's classes stay readable."""

from __future__ import annotations

from django_tenants.utils import schema_context

from tenant_apps.structure.rollover import default_next_class
from tenant_apps.structure.services import school_year_create
from tests.conftest import client_for
from tests.timetable.helpers import School


def test_default_next_classes():
    assert default_next_class("6e A") == "5e A"
    assert default_next_class("4B") == "3B"
    assert default_next_class("2de 3") == "1re 3"
    assert default_next_class("3e C") is None and default_next_class("Tle 1") is None


def test_a_dry_run_then_the_rollover(school: School):
    import datetime

    with schema_context(school.establishment.schema_name):
        next_year = school_year_create(
            actor=None, name="T2027", start=datetime.date(2027, 8, 30), end=datetime.date(2028, 7, 1)
        )
    admin = client_for(school.admin, school.establishment, api=True)
    body = {"from_year_id": school.year.pk, "to_year_id": next_year.pk, "class_map": {"5e T": ""}}
    dry = admin.post("/api/v1/structure/rollover/", body, format="json")
    assert dry.status_code == 200 and dry.json()["applied"] is False
    moves = {m["user_id"]: (m["from_class"], m["to_class"]) for m in dry.json()["moves"]}
    assert moves[school.students[0].pk] == ("6e T", "5e T")
    assert moves[school.other_student.pk] == ("5e T", None)  # leaves, as asked
    with schema_context(school.establishment.schema_name):
        assert school.m(school.students[0]).school_class.name == "6e T"  # nothing written

    assert (
        client_for(school.teacher, school.establishment, api=True)
        .post("/api/v1/structure/rollover/", body, format="json")
        .status_code
        == 403
    )
    applied = admin.post("/api/v1/structure/rollover/", {**body, "apply": True}, format="json")
    assert applied.status_code == 200 and applied.json()["moves"] == dry.json()["moves"]
    with schema_context(school.establishment.schema_name):
        assert school.m(school.students[0]).school_class.name == "5e T"
        assert school.m(school.other_student).school_class is None
    past = admin.get(f"/api/v1/structure/years/{school.year.pk}/enrolments/").json()["results"]
    assert {(r["user_id"], r["school_class"]) for r in past} >= {(school.students[0].pk, "6e T")}
    again = admin.post("/api/v1/structure/rollover/", {**body, "apply": True}, format="json")
    assert again.status_code == 400
