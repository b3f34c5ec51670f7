"""Who sees what of discipline, through the pages and the API: the head and school life all;
a teacher their students' (and what they gave); a guardian their child's punishments and
pronounced sanctions, never incidents; a student their own; another school's objects 404."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from shared_apps.identity.roles import Role
from shared_apps.identity.services import membership_grant
from tenant_apps.discipline import services
from tests.conftest import client_for
from tests.factories import member
from tests.timetable.helpers import School

D = datetime.date
API = "/api/v1/discipline"


@pytest.fixture
def records(school: School) -> dict[str, int]:
    with schema_context(school.establishment.schema_name):
        child, other = school.m(school.students[0]), school.m(school.other_student)
        incident = services.incident_create(
            actor=school.school_life,
            occurred_at=timezone.now(),
            description="Dégradation",
            students=[child, other],
        )
        detention = services.punishment_give(
            actor=school.school_life,
            student=child,
            kind="detention",
            reason="Dégradation",
            date=D(2026, 9, 16),
            start_time=datetime.time(13),
            end_time=datetime.time(14),
            supervisor=school.m(school.school_life),
        )
        other_punishment = services.punishment_give(
            actor=school.school_life,
            student=other,
            kind="lesson_exclusion",
            reason="Insolence",
            date=D(2026, 9, 16),
        )
        pronounced = services.sanction_propose(
            actor=school.school_life, student=child, kind="warning", reason="Dégradation"
        )
        services.sanction_decide(
            actor=school.extra["head"],
            sanction=pronounced,
            pronounced=True,
            body="head",
            decision="Avertissement",
        )
        proposed = services.sanction_propose(
            actor=school.school_life, student=child, kind="reprimand", reason="Récidive"
        )
    return {
        "incident": incident.pk,
        "detention": detention.pk,
        "other_punishment": other_punishment.pk,
        "pronounced": pronounced.pk,
        "proposed": proposed.pk,
    }


def ids(client, path: str) -> set[int]:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return {row["id"] for row in response.json()["results"]}


def test_each_role_sees_its_share(school: School, records):
    everything = {
        "incidents": {records["incident"]},
        "punishments": {records["detention"], records["other_punishment"]},
        "sanctions": {records["pronounced"], records["proposed"]},
    }
    for user in (school.extra["head"], school.school_life):
        api = client_for(user, school.establishment, api=True)
        assert {k: ids(api, f"{API}/{k}/") for k in everything} == everything
    # The teacher teaches the child's class, not the other student's.
    teacher = client_for(school.teacher, school.establishment, api=True)
    assert ids(teacher, f"{API}/incidents/") == {records["incident"]}
    assert ids(teacher, f"{API}/punishments/") == {records["detention"]}
    assert ids(teacher, f"{API}/sanctions/") == {records["pronounced"], records["proposed"]}
    outsider = client_for(school.other_teacher, school.establishment, api=True)
    assert ids(outsider, f"{API}/incidents/") == set() and ids(outsider, f"{API}/punishments/") == set()
    # The guardian and the child: punishments, pronounced sanctions; no incidents at all.
    for user in (school.guardian, school.students[0]):
        api = client_for(user, school.establishment, api=True)
        assert ids(api, f"{API}/punishments/") == {records["detention"]}
        assert ids(api, f"{API}/sanctions/") == {records["pronounced"]}
        assert api.get(f"{API}/incidents/").status_code == 403
        assert api.get(f"{API}/sanctions/{records['proposed']}/").status_code == 404
        assert api.get(f"{API}/punishments/{records['other_punishment']}/").status_code == 404
        assert api.post(f"{API}/punishments/", {}, format="json").status_code == 403
    page = client_for(school.guardian, school.establishment).get("/discipline/")
    html = page.content.decode()
    assert page.status_code == 200 and "Insolence" not in html and "Report an incident" not in html
    assert (
        client_for(school.students[1], school.establishment, api=True)
        .get(f"{API}/punishments/")
        .json()["count"]
        == 0
    )
    # The detention roster and the statistics are school life's and the leadership's.
    for user, status in (
        (school.school_life, 200),
        (school.extra["head"], 200),
        (school.teacher, 403),
        (school.guardian, 403),
    ):
        assert (
            client_for(user, school.establishment).get("/discipline/detentions/?from=2026-09-14").status_code
            == status
        )
        assert client_for(user, school.establishment).get("/discipline/statistics/").status_code == status
        assert (
            client_for(user, school.establishment, api=True).get(f"{API}/statistics/").status_code == status
        )
    roster = client_for(school.school_life, school.establishment).get(
        "/discipline/detentions/?from=2026-09-14"
    )
    assert school.students[0].display_name in roster.content.decode()


def test_the_pages_report_punish_propose_and_decide(school: School):
    with schema_context(school.establishment.schema_name):
        child = school.m(school.students[0])
        school_life = school.m(school.school_life)
    teacher = client_for(school.teacher, school.establishment)
    assert "Report an incident" in teacher.get("/discipline/").content.decode()
    reported = teacher.post(
        "/discipline/incidents/new/",
        {"occurred_at": "2026-09-15T10:00", "description": "Téléphone en classe", "students": [child.pk]},
    )
    assert reported.status_code == 302, reported.content.decode()[:2000]
    assert teacher.get(reported["Location"]).status_code == 200
    assert teacher.post("/discipline/incidents/new/", {"description": ""}).status_code == 400
    given = teacher.post(
        "/discipline/punishments/new/",
        {
            "student": child.pk,
            "kind": "detention",
            "reason": "Téléphone",
            "date": "2026-09-16",
            "start_time": "13:00",
            "end_time": "14:00",
            "supervisor": school_life.pk,
        },
    )
    assert given.status_code == 302
    proposed = teacher.post(
        "/discipline/sanctions/new/", {"student": child.pk, "kind": "warning", "reason": "Récidive"}
    )
    assert proposed.status_code == 302
    head = client_for(school.extra["head"], school.establishment)
    form = head.get(proposed["Location"]).content.decode()
    assert "Record the decision" in form
    assert "Record the decision" not in teacher.get(proposed["Location"]).content.decode()
    decided = head.post(
        proposed["Location"],
        {"pronounced": "1", "body": "head", "decided_on": "2026-09-17", "decision": "Avertissement"},
    )
    assert decided.status_code == 302
    assert "Pronounced" in head.get(proposed["Location"]).content.decode()
    # Marking the detention done from the roster.
    roster = client_for(school.school_life, school.establishment)
    done = roster.post(given["Location"], {"status": "done", "back": "roster"})
    assert done.status_code == 302 and done["Location"].endswith("/discipline/detentions/")
    assert "Statistics of the year" in roster.get("/discipline/").content.decode()
    stats = roster.get("/discipline/statistics/").content.decode()
    assert "Detention" in stats


def test_another_schools_discipline_records_are_404(school: School, records, school_b):
    staff = member(school_b, Role.HEAD)
    for role in (Role.SCHOOL_LIFE, Role.TEACHER, Role.ESTABLISHMENT_ADMIN):
        membership_grant(actor=None, user=staff, establishment=school_b, role=role)
    from tenant_apps.discipline.models import Incident, Punishment, Sanction

    with schema_context(school_b.schema_name):
        assert not Incident.objects.filter(pk=records["incident"]).exists()
        assert not Punishment.objects.filter(
            pk__in=[records["detention"], records["other_punishment"]]
        ).exists()
        assert not Sanction.objects.filter(pk__in=[records["pronounced"], records["proposed"]]).exists()
    api, page = client_for(staff, school_b, api=True), client_for(staff, school_b)
    for path in (
        f"{API}/incidents/{records['incident']}/",
        f"{API}/punishments/{records['detention']}/",
        f"{API}/sanctions/{records['proposed']}/",
    ):
        assert api.get(path).status_code == 404
    assert (
        api.post(
            f"{API}/punishments/{records['detention']}/status/", {"status": "done"}, format="json"
        ).status_code
        == 404
    )
    assert (
        api.post(
            f"{API}/sanctions/{records['proposed']}/decision/",
            {"pronounced": True, "body": "head", "decision": "x"},
            format="json",
        ).status_code
        == 404
    )
    for path in (
        f"/discipline/incidents/{records['incident']}/",
        f"/discipline/punishments/{records['detention']}/",
        f"/discipline/sanctions/{records['proposed']}/",
    ):
        assert page.get(path).status_code == 404
    # School A's head on school B's host is not a member there.
    assert client_for(school.extra["head"], school_b, api=True).get(f"{API}/sanctions/").status_code == 403
