"""The personal calendar feed: a secret, revocable address that a calendar client reads."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import icalendar
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from tenant_apps.timetable.services import lesson_change_set
from tests.conftest import client_for
from tests.timetable.helpers import School, t

PARIS = ZoneInfo("Europe/Paris")


def feed_url(client) -> str:
    response = client.post("/api/v1/timetable/calendar-token/")
    assert response.status_code == 201
    return response.json()["url"]


def test_the_feed_is_parsed_back_with_the_right_events_across_the_dst_change(school: School, monkeypatch):
    lesson = school.lesson(weekday=0, start_time=t("08:00"), end_time=t("09:00"))
    with schema_context(school.establishment.schema_name):
        lesson_change_set(
            actor=None, lesson=lesson, date=datetime.date(2026, 10, 12), cancelled=True, notify=False
        )
    # Today is Tuesday 20 October 2026: the feed runs 4 weeks back, 16 ahead, across 25 October.
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 10, 20))
    url = feed_url(client_for(school.students[1], school.establishment, api=True))
    path = url.split("localhost", 1)[1] if "localhost" in url else url

    response = client_for(None, school.establishment).get(path)  # anonymous, like a calendar client
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    events = {e.decoded("dtstart").date(): e for e in cal.walk("VEVENT")}
    before, after = events[datetime.date(2026, 10, 19)], events[datetime.date(2026, 11, 2)]
    for event in (before, after):
        start = event.decoded("dtstart")
        assert str(start.tzinfo) == "Europe/Paris" and event["DTSTART"].params["TZID"] == "Europe/Paris"
        assert (start.hour, start.minute) == (8, 0)
        assert "Mathématiques" in str(event["SUMMARY"])
    assert before.decoded("dtstart").utcoffset() == datetime.timedelta(hours=2)  # summer time
    assert after.decoded("dtstart").utcoffset() == datetime.timedelta(hours=1)  # winter time
    assert before.decoded("dtstart").astimezone(datetime.UTC).hour == 6
    assert after.decoded("dtstart").astimezone(datetime.UTC).hour == 7
    assert str(events[datetime.date(2026, 10, 12)]["STATUS"]) == "CANCELLED"
    assert datetime.date(2026, 10, 26) in events  # the Monday after the change of time
    assert len({str(e["UID"]) for e in cal.walk("VEVENT")}) == len(cal.walk("VEVENT"))


def test_the_feed_address_is_secret_and_revocable(school: School, school_b):
    school.lesson()
    client = client_for(school.students[0], school.establishment, api=True)
    first = feed_url(client).split("localhost", 1)[1]
    second = feed_url(client).split("localhost", 1)[1]
    anonymous = client_for(None, school.establishment)
    assert anonymous.get(first).status_code == 404  # replaced by the second
    assert anonymous.get(second).status_code == 200
    assert client_for(None, school_b).get(second).status_code == 404  # another establishment
    assert anonymous.get("/calendar/not-a-token.ics").status_code == 404
    assert client.delete("/api/v1/timetable/calendar-token/").status_code == 204
    assert anonymous.get(second).status_code == 404
    # the page makes one too
    page = client_for(school.students[0], school.establishment)
    made = page.post("/timetable/calendar/", {"action": "create"})
    assert made.status_code == 200 and "/calendar/" in made.content.decode()


def test_a_guardians_feed_holds_their_childrens_lessons(school: School, monkeypatch):
    school.lesson()
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 10, 20))
    path = feed_url(client_for(school.guardian, school.establishment, api=True)).split("localhost", 1)[1]
    cal = icalendar.Calendar.from_ical(client_for(None, school.establishment).get(path).content)
    summaries = {str(e["SUMMARY"]) for e in cal.walk("VEVENT")}
    assert summaries == {f"{school.students[0].display_name}: Mathématiques ({school.school_class.name})"}


def test_a_lesson_change_is_emailed_to_the_people_concerned(
    school: School, monkeypatch, django_capture_on_commit_callbacks
):
    from tenant_apps.timetable.tasks import lesson_change_notify_task

    def run(args, **options):
        with schema_context(school.establishment.schema_name):
            return lesson_change_notify_task.apply(args)

    monkeypatch.setattr(lesson_change_notify_task, "apply_async", run)
    lesson = school.lesson()
    admin = client_for(school.admin, school.establishment, api=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            f"/api/v1/timetable/lessons/{lesson.pk}/changes/",
            {"date": "2026-09-14", "cancelled": True, "note": "Sortie"},
            format="json",
        )
    assert response.status_code == 201
    recipients = {address for sent in mail.outbox for address in sent.to}
    assert {"teacher@example.org"} <= recipients  # the guardian's waits for the daily digest
    assert all("Sortie" in sent.body for sent in mail.outbox)
    with schema_context(school.establishment.schema_name):
        assert lesson_change_notify_task.apply((response.json()["id"],)).get() == 0  # sent once
