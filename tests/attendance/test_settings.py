"""The establishment's attendance settings: notices' review and the half-day split, a page and an
API for its leadership, each change audited (issue 12)."""

from __future__ import annotations

import datetime

from django_tenants.utils import schema_context

from shared_apps.audit.models import AuditEntry
from shared_apps.identity.roles import Role
from tenant_apps.attendance.models import AttendanceMark, AttendancePolicy, NoticeState
from tenant_apps.school.models import SchoolSettings
from tests.conftest import client_for
from tests.factories import member
from tests.timetable.helpers import WEEK_A, School

API = "/api/v1/attendance/settings/"


def test_the_head_changes_the_settings_through_the_api_each_change_audited(school: School):
    head = member(school.establishment, Role.HEAD)
    api = client_for(head, school.establishment, api=True)
    assert api.get(API).json() == {"absence_notification_review": False, "half_day_split": "12:00"}

    saved = api.patch(API, {"absence_notification_review": True}, format="json")
    assert saved.status_code == 200, saved.content
    assert saved.json() == {"absence_notification_review": True, "half_day_split": "12:00"}
    saved = api.patch(API, {"half_day_split": "13:30"}, format="json")
    assert saved.json()["half_day_split"] == "13:30"
    entries = list(AuditEntry.objects.filter(action="attendance.settings_updated").order_by("pk"))
    assert [e.details["changes"] for e in entries] == [
        {"absence_notification_review": {"from": False, "to": True}},
        {"half_day_split": {"from": "12:00:00", "to": "13:30:00"}},
    ]
    assert all(e.actor_id == head.pk and e.establishment_id == school.establishment.pk for e in entries)
    with schema_context(school.establishment.schema_name):
        assert SchoolSettings.objects.get().absence_notification_review is True
        assert AttendancePolicy.objects.get().half_day_split == datetime.time(13, 30)

    # Nothing changed: nothing audited. A split at night: refused, naming the field.
    api.patch(API, {"half_day_split": "13:30"}, format="json")
    assert AuditEntry.objects.filter(action="attendance.settings_updated").count() == 2
    bad = api.patch(API, {"half_day_split": "03:00"}, format="json")
    assert bad.status_code == 400 and "half_day_split" in bad.json()["error"]["fields"]


def test_the_review_setting_holds_the_notices_of_absences(school: School):
    head = member(school.establishment, Role.ESTABLISHMENT_ADMIN)
    page = client_for(head, school.establishment)
    form = page.get("/attendance/settings/").content.decode()
    assert 'name="absence_notification_review"' in form and 'value="12:00"' in form
    saved = page.post(
        "/attendance/settings/", {"absence_notification_review": "on", "half_day_split": "12:30"}
    )
    assert saved.status_code == 302
    lesson = school.lesson()
    with schema_context(school.establishment.schema_name):
        absent = school.m(school.students[0]).pk
    client_for(school.teacher, school.establishment).post(
        f"/attendance/register/{lesson.pk}/{WEEK_A.isoformat()}/", {f"status-{absent}": "absent"}
    )
    with schema_context(school.establishment.schema_name):
        assert AttendanceMark.objects.get(student_id=absent).notice == NoticeState.HELD

    bad = page.post("/attendance/settings/", {"half_day_split": "23:00"})
    assert bad.status_code == 400 and 'id="id_half_day_split-error"' in bad.content.decode()


def test_only_the_leadership_reaches_the_settings(school: School):
    for user in (school.teacher, school.school_life, school.admin, school.guardian):
        assert client_for(user, school.establishment, api=True).get(API).status_code == 403
        assert client_for(user, school.establishment).get("/attendance/settings/").status_code == 403
    head = member(school.establishment, Role.HEAD)
    home = client_for(head, school.establishment).get("/").content.decode()
    assert 'href="/attendance/settings/"' in home  # in the school's navigation
