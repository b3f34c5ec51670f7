"""The region's school calendar: operators enter each zone's holidays and the bank holidays once;
an establishment follows its zone (its académie's by default) and adds its own days; week A /
week B skip the weeks all of holidays, whichever side entered them.

Hand-computed, 2026-2027 (week A: 31/8), school in zone B (académie de Strasbourg):
31/8 A, 7/9 B, 14/9 A, 21/9 B, 28/9 A, 5/10 B, 12/10 A; zone B's Toussaint 17/10-1/11 (the weeks
of 19/10 and 26/10 do not count), 2/11 B, 9/11 A (Wednesday 11/11 is a bank holiday: the week
counts), 16/11 B. Zone A's winter holidays never touch a zone B school."""

from __future__ import annotations

import datetime

import pytest
from django_tenants.utils import schema_context

from shared_apps.audit.models import AuditEntry
from shared_apps.schoolcalendar.models import DayOffKind, RegionHoliday
from shared_apps.schoolcalendar.services import establishment_zone_set, region_holiday_create
from tenant_apps.timetable.calendar import year_calendar
from tenant_apps.timetable.services import holiday_create
from tenants.zones import zone_of_academie
from tests.conftest import client_for
from tests.support.helpers import operator
from tests.timetable.helpers import School, make_school, t

D = datetime.date


def week_of(client, day: D) -> dict:
    response = client.get("/api/v1/timetable/week/", {"date": day.isoformat()})
    assert response.status_code == 200, response.content
    return response.json()


def test_academies_map_to_their_zone_and_schools_start_in_theirs(school_a):
    assert zone_of_academie("Strasbourg") == "B"
    assert zone_of_academie("clermont ferrand") == "A"
    assert zone_of_academie("Créteil") == zone_of_academie("creteil") == "C"
    assert zone_of_academie("Guadeloupe") == ""
    assert school_a.zone == "B"  # onboarded with the académie de Strasbourg


def test_the_zone_holidays_and_bank_holidays_drive_week_a_and_b(school: School):
    a_lesson = school.lesson(week="A")
    school.lesson(week="B", subject=school.english, start_time=t("09:00"), end_time=t("10:00"))
    wednesday = school.lesson(weekday=2, subject=school.english, start_time=t("14:00"), end_time=t("15:00"))
    region_holiday_create(actor=None, name="Toussaint", zone="B", start=D(2026, 10, 17), end=D(2026, 11, 1))
    region_holiday_create(actor=None, name="Hiver A", zone="A", start=D(2026, 10, 3), end=D(2026, 10, 11))
    region_holiday_create(
        actor=None, name="Armistice", kind=DayOffKind.BANK_HOLIDAY, start=D(2026, 11, 11), end=D(2026, 11, 11)
    )
    client = client_for(school.students[0], school.establishment, api=True)
    expected = {
        D(2026, 10, 5): "B",  # zone A's holidays do not apply here
        D(2026, 10, 12): "A",
        D(2026, 10, 19): None,
        D(2026, 10, 26): None,
        D(2026, 11, 2): "B",
        D(2026, 11, 9): "A",  # a bank holiday does not make a holiday week
        D(2026, 11, 16): "B",
    }
    for monday, parity in expected.items():
        assert week_of(client, monday)["week"] == parity, monday
    week = week_of(client, D(2026, 11, 9))
    days = {o["date"] for o in week["occurrences"]}
    assert "2026-11-11" not in days and "2026-11-09" in days
    with schema_context(school.establishment.schema_name):
        assert year_calendar(school.year).is_holiday(D(2026, 11, 11))
        assert not year_calendar(school.year).is_holiday(D(2026, 10, 7))
        assert wednesday.pk and a_lesson.pk

    # A local addition (a bridge day, then a whole week of exams off) applies with the region's.
    with schema_context(school.establishment.schema_name):
        holiday_create(actor=None, name="Examens", start=D(2026, 11, 16), end=D(2026, 11, 20))
    assert week_of(client, D(2026, 11, 16))["week"] is None
    assert week_of(client, D(2026, 11, 23))["week"] == "B"

    # Following zone A instead: its holidays of 3/10-11/10 now count, zone B's Toussaint not.
    establishment_zone_set(actor=None, establishment=school.establishment, zone="A")
    assert week_of(client, D(2026, 10, 5))["week"] is None
    assert week_of(client, D(2026, 10, 12))["week"] == "B"  # 28/9 A, (5/10), 12/10 B
    assert week_of(client, D(2026, 10, 19))["week"] == "A"
    assert AuditEntry.objects.filter(action="schoolcalendar.zone_set").count() == 1


def test_the_holidays_page_and_api_show_the_regions_days_with_the_schools(school: School):
    region_holiday_create(actor=None, name="Noël", start=D(2026, 12, 19), end=D(2027, 1, 3))
    region_holiday_create(actor=None, name="Printemps C", zone="C", start=D(2027, 4, 3), end=D(2027, 4, 18))
    with schema_context(school.establishment.schema_name):
        holiday_create(actor=None, name="Pont", start=D(2027, 5, 14), end=D(2027, 5, 14))
    page = client_for(school.admin, school.establishment).get("/timetable/manage/holidays/")
    html = page.content.decode()
    assert "Noël" in html and "Pont" in html and "Printemps C" not in html
    days = (
        client_for(school.students[0], school.establishment, api=True)
        .get("/api/v1/timetable/days-off/")
        .json()
    )
    assert [(d["name"], d["origin"]) for d in days] == [("Noël", "region"), ("Pont", "local")]


def test_operators_maintain_the_calendar_through_the_pages_and_the_api(db):
    admin = operator()
    api = client_for(admin, None, api=True)
    created = api.post(
        "/api/v1/region/holidays/",
        {"name": "Hiver", "zone": "B", "start": "2027-02-20", "end": "2027-03-07"},
        format="json",
    )
    assert created.status_code == 201, created.content
    day_id = created.json()["id"]
    bad = api.post(
        "/api/v1/region/holidays/",
        {"name": "X", "zone": "D", "start": "2027-02-20", "end": "2027-02-19"},
        format="json",
    )
    assert bad.status_code == 400 and "zone" in bad.json()["error"]["fields"]
    backwards = api.post(
        "/api/v1/region/holidays/", {"name": "X", "start": "2027-02-20", "end": "2027-02-19"}, format="json"
    )
    assert backwards.status_code == 400 and "end" in backwards.json()["error"]["fields"]
    assert (
        api.patch(f"/api/v1/region/holidays/{day_id}/", {"end": "2027-03-08"}, format="json").status_code
        == 200
    )
    assert RegionHoliday.objects.get(pk=day_id).end == D(2027, 3, 8)
    listed = api.get("/api/v1/region/holidays/", {"zone": "A"}).json()
    assert listed["count"] == 0
    assert api.get("/api/v1/region/holidays/", {"zone": "Z"}).status_code == 400

    page = client_for(admin, None)
    assert "Hiver" in page.get("/region/calendar/").content.decode()
    added = page.post(
        "/region/calendar/",
        {"kind": "bank_holiday", "zone": "", "name": "1er mai", "start": "2027-05-01", "end": "2027-05-01"},
    )
    assert added.status_code == 302
    assert page.post("/region/calendar/", {"kind": "holidays", "name": "", "start": "x"}).status_code == 400
    may_day = RegionHoliday.objects.get(name="1er mai")
    assert page.post(f"/region/calendar/{may_day.pk}/", {"action": "delete"}).status_code == 302
    assert api.delete(f"/api/v1/region/holidays/{day_id}/").status_code == 204
    assert not RegionHoliday.objects.exists()
    actions = set(
        AuditEntry.objects.filter(action__startswith="schoolcalendar.").values_list("action", flat=True)
    )
    assert actions == {
        "schoolcalendar.holiday_created",
        "schoolcalendar.holiday_updated",
        "schoolcalendar.holiday_deleted",
    }


def test_an_operator_sets_a_schools_zone_and_no_one_else_writes(school_a, school_b):
    admin = operator()
    api = client_for(admin, None, api=True)
    assert api.put(
        f"/api/v1/region/establishments/{school_b.uai}/zone/", {"zone": "C"}, format="json"
    ).json() == {
        "uai": school_b.uai,
        "zone": "C",
    }
    assert (
        api.put("/api/v1/region/establishments/0000000X/zone/", {"zone": "C"}, format="json").status_code
        == 404
    )
    page = client_for(admin, None).post(
        "/region/calendar/", {"action": "zone", "z-uai": school_b.uai, "z-zone": "A"}
    )
    assert page.status_code == 302
    school_b.refresh_from_db()
    assert school_b.zone == "A"

    # A school's staff and students read the region calendar, never write it; the pages are the
    # portal's only (not routed on a school's host).
    school = make_school(school_a, prefix="Z")
    head = client_for(school.admin, None, api=True)
    assert head.get("/api/v1/region/holidays/").status_code == 200
    body = {"name": "X", "start": "2027-02-20", "end": "2027-02-21"}
    assert head.post("/api/v1/region/holidays/", body, format="json").status_code == 403
    assert (
        head.put(
            f"/api/v1/region/establishments/{school_a.uai}/zone/", {"zone": "A"}, format="json"
        ).status_code
        == 403
    )
    assert client_for(school.admin, None).get("/region/calendar/").status_code == 403
    assert client_for(admin, school_a).get("/region/calendar/").status_code in (403, 404)
    assert client_for(None, None).get("/api/v1/region/holidays/").status_code in (401, 403)


@pytest.mark.parametrize("zone", ["A", "B", "C", ""])
def test_every_zone_reads_the_every_zone_days(db, zone):
    from shared_apps.schoolcalendar.selectors import region_holidays_of_zone

    region_holiday_create(actor=None, name="Été", start=D(2027, 7, 3), end=D(2027, 8, 31))
    region_holiday_create(actor=None, name="Hiver B", zone="B", start=D(2027, 2, 20), end=D(2027, 3, 7))
    names = [d.name for d in region_holidays_of_zone(zone=zone)]
    assert names == (["Hiver B", "Été"] if zone == "B" else ["Été"])
