"""The values of the issue's security test (fault 3) are refused at the boundary with a clear
error: a room for 2^31 people, a school year in 9999, a timetable in year 1 or 9999, a NUL byte
in a cell of an imported CSV file."""

from __future__ import annotations

from shared_apps.directory.parsers.csv import parse_csv
from shared_apps.identity.roles import Role
from tests.conftest import client_for
from tests.factories import member


def test_a_room_capacity_beyond_what_a_column_holds_is_a_400_naming_the_field(school_a):
    admin = member(school_a, Role.ESTABLISHMENT_ADMIN)
    api = client_for(admin, school_a, api=True)
    answer = api.post("/api/v1/structure/rooms/", {"name": "Salle géante", "capacity": 2**31}, format="json")
    assert answer.status_code == 400 and "capacity" in answer.json()["error"]["fields"]
    page = client_for(admin, school_a).post("/structure/rooms/", {"name": "Salle géante", "capacity": 2**31})
    assert page.status_code == 400


def test_a_school_year_in_9999_is_refused(school_a):
    api = client_for(member(school_a, Role.ESTABLISHMENT_ADMIN), school_a, api=True)
    answer = api.post(
        "/api/v1/structure/years/",
        {"name": "9999-10000", "start": "9999-09-01", "end": "9999-12-31"},
        format="json",
    )
    assert answer.status_code == 400 and "start" in answer.json()["error"]["fields"]


def test_a_timetable_in_year_1_or_9999_is_a_400(school_a):
    teacher = member(school_a, Role.TEACHER)
    for day in ("0001-01-01", "9999-12-31"):
        assert client_for(teacher, school_a).get("/timetable/", {"date": day}).status_code == 400
        api = client_for(teacher, school_a, api=True).get("/api/v1/timetable/week/", {"date": day})
        assert api.status_code == 400 and "date" in api.json()["error"]["fields"]


def test_a_nul_byte_in_an_imported_csv_cell_is_an_error_for_that_line():
    data = b"id;nom;prenom;classe\n1;Dupont\x00;Jean;4A\n2;Martin;Paul;4A\n"
    parsed = parse_csv("eleves.csv", data)
    # The line is named with its field and skipped (issue 22: a bad row no longer refuses the
    # whole file where skipping it is safe); the other lines are read.
    assert [(row.line, row.field, row.last_name) for row in parsed.skipped] == [(2, "last_name", "Dupont")]
    assert "NUL" in parsed.skipped[0].message
    assert [p.last_name for p in parsed.people] == ["Martin"]
