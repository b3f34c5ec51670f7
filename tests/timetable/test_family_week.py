"""A guardian's timetable: a child picker on the school, the week of every child on the portal, and
one calendar feed for every school over the whole school year (issue 12)."""

from __future__ import annotations

import datetime

import icalendar
from django.utils import timezone
from django_tenants.utils import schema_context

from shared_apps.audit.models import AuditEntry
from shared_apps.identity.roles import Role
from shared_apps.identity.services import guardian_link_create, membership_grant
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.school.services import school_class_ensure
from tenant_apps.structure.services import school_year_create, subject_create
from tenant_apps.timetable.services import lesson_create
from tests.conftest import client_for
from tests.factories import member
from tests.timetable.helpers import WEEK_A, YEAR_END, YEAR_START, School, t


def _lycee_with_a_lesson(establishment):
    """A school year, a class with one student and a Tuesday lesson in another establishment."""
    with schema_context(establishment.schema_name):
        school_class_ensure(name="2de 1", level="2de")
    child = member(establishment, Role.STUDENT, class_name="2de 1")
    teacher = member(establishment, Role.TEACHER)
    with schema_context(establishment.schema_name):
        year = school_year_create(actor=None, name="L2026", start=YEAR_START, end=YEAR_END, is_current=True)
        lesson_create(
            actor=None,
            year=year,
            weekday=1,
            start_time=t("10:00"),
            end_time=t("11:00"),
            subject=subject_create(actor=None, code="LPHI", name="Philosophie"),
            teacher=Member.objects.get(user_id=teacher.pk),
            school_class=SchoolClass.objects.get(name="2de 1"),
        )
    return child


def test_a_guardian_picks_a_child_and_sees_their_week(school: School):
    school.lesson()
    second = school.students[1]
    guardian_link_create(actor=None, guardian=school.guardian, child=second)
    page = client_for(school.guardian, school.establishment)
    html = page.get(f"/timetable/?date={WEEK_A.isoformat()}").content.decode()
    assert 'id="child-select"' in html
    assert school.students[0].display_name in html and second.display_name in html
    assert "Mathématiques" in html  # the first child's week, not an empty one
    picked = page.get(f"/timetable/?date={WEEK_A.isoformat()}&child={second.pk}").content.decode()
    assert "Mathématiques" in picked and f'value="{second.pk}" selected' in picked
    stranger = member(school.establishment, Role.STUDENT)
    assert page.get(f"/timetable/?child={stranger.pk}").status_code == 404


def test_the_portal_shows_every_childs_week_and_one_feed_covers_every_school_and_the_year(
    school: School, school_b, monkeypatch
):
    lycee_child = _lycee_with_a_lesson(school_b)
    school.lesson(weekday=0)
    guardian = school.guardian
    membership_grant(actor=None, user=guardian, establishment=school_b, role=Role.GUARDIAN)
    guardian_link_create(actor=None, guardian=guardian, child=lycee_child)
    portal = client_for(guardian)
    week = portal.get(f"/timetable/?date={WEEK_A.isoformat()}").content.decode()
    assert school.students[0].display_name in week and lycee_child.display_name in week
    assert school.establishment.name in week and school_b.name in week
    assert 'href="/timetable/"' in portal.get("/").content.decode()

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 10, 20))
    made = portal.post("/calendar/", {"action": "create"})
    assert made.status_code == 200
    url = made.content.decode().split('id="feed-url" readonly value="', 1)[1].split('"', 1)[0]
    path = url.split("localhost", 1)[1]
    feed = client_for(None).get(path)
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    events = icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    days = {e.decoded("dtstart").date() for e in events}
    schools = {str(e["LOCATION"]).rsplit(", ", 1)[-1] for e in events}
    assert schools == {school.establishment.name, school_b.name}
    # The whole school year: both changes of time and the last weeks of the year.
    assert min(days) <= datetime.date(2026, 9, 7) and max(days) >= datetime.date(2027, 6, 28)
    offsets = {e.decoded("dtstart").utcoffset() for e in events}
    assert offsets == {datetime.timedelta(hours=1), datetime.timedelta(hours=2)}
    assert AuditEntry.objects.filter(action="account.calendar_feed_created", actor=guardian).exists()
    portal.post("/calendar/", {"action": "revoke"})
    assert client_for(None).get(path).status_code == 404
    assert client_for(None).get("/calendar/not-a-token.ics").status_code == 404


def test_a_schools_own_feed_covers_the_school_year(school: School, monkeypatch):
    school.lesson()
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 10, 20))
    api = client_for(school.students[0], school.establishment, api=True)
    path = api.post("/api/v1/timetable/calendar-token/").json()["url"].split("localhost", 1)[1]
    events = icalendar.Calendar.from_ical(client_for(None, school.establishment).get(path).content).walk(
        "VEVENT"
    )
    days = {e.decoded("dtstart").date() for e in events}
    assert max(days) >= datetime.date(2027, 6, 28)  # 16 weeks ahead stopped in February
    assert datetime.date(2027, 3, 29) in days  # after the spring change of time
