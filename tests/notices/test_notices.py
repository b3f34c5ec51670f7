"""Notices with acknowledgement: the guardians of a class are told, each acknowledges once (for
every child of theirs it concerns), the teacher sees the tally per class and per student and
reminds those who have not (one notification each; a double click sends once; again after the
window); who may see and do what, another school's host: 404; bounded queries."""

from __future__ import annotations

import datetime

import time_machine
from django.utils import timezone
from django_tenants.utils import schema_context

from shared_apps.audit.models import AuditEntry
from shared_apps.identity.family_news import FamilyChild, family_news_for
from shared_apps.identity.roles import Role
from shared_apps.identity.services import guardian_link_create
from tenant_apps.news import services
from tenant_apps.news.models import NoticeRecipient
from tenant_apps.news.services.notices import REMIND_WINDOW
from tenant_apps.notifications.models import Notification
from tests.conftest import client_for
from tests.factories import member
from tests.notices.conftest import Carnet


def told(carnet: Carnet) -> list[tuple[str, set[int]]]:
    with schema_context(carnet.people.school.establishment.schema_name):
        return [
            (n.source.split(":")[0], set(n.recipients.values_list("user_id", flat=True)))
            for n in Notification.objects.filter(type="news").order_by("pk")
        ]


def test_guardians_of_the_class_are_told_and_acknowledge_the_tally_follows(carnet: Carnet):
    school = carnet.people.school
    assert told(carnet) == [("notice", {school.guardian.pk, carnet.second_guardian.pk})]
    guardian = client_for(school.guardian, school.establishment)
    page = guardian.get(f"/notices/{carnet.notice.pk}/").content.decode()
    assert "Sortie au musée jeudi" in page and "I have read this notice" in page
    assert guardian.post(f"/notices/{carnet.notice.pk}/", {"action": "acknowledge"}).status_code == 302
    assert "I have read this notice" not in guardian.get(f"/notices/{carnet.notice.pk}/").content.decode()
    api = client_for(school.teacher, school.establishment, api=True)
    (tally,) = api.get(f"/api/v1/notices/{carnet.notice.pk}/tally/").json()
    assert tally["name"] == school.school_class.name
    assert (tally["guardians"], tally["acknowledged"]) == (2, 1)
    by_student = {s["student_id"]: s for s in tally["students"]}
    assert by_student[school.students[0].pk]["acknowledged"] is True
    assert by_student[school.students[1].pk]["acknowledged"] is False
    assert school.students[2].pk not in by_student  # no guardian with an account
    listed = api.get("/api/v1/notices/").json()["results"]
    assert [(n["guardians"], n["acknowledged"]) for n in listed] == [(2, 1)]
    # Acknowledging again changes nothing.
    again = client_for(school.guardian, school.establishment, api=True)
    assert again.post(f"/api/v1/notices/{carnet.notice.pk}/acknowledge/").json() == {"acknowledged": 0}


def test_reminders_go_once_to_those_who_have_not_acknowledged(carnet: Carnet):
    school = carnet.people.school
    with schema_context(school.establishment.schema_name):
        services.notice_acknowledge(actor=school.guardian, notice=carnet.notice)
    teacher = client_for(school.teacher, school.establishment)
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        first = teacher.post(f"/notices/{carnet.notice.pk}/", {"action": "remind"}, follow=True)
        assert "1 guardian was reminded." in first.content.decode()
        second = teacher.post(
            f"/notices/{carnet.notice.pk}/", {"action": "remind"}, follow=True
        )  # double click
        assert "Nobody was reminded" in second.content.decode()
    assert told(carnet)[1:] == [("notice-reminder", {carnet.second_guardian.pk})]
    with time_machine.travel(now + REMIND_WINDOW + datetime.timedelta(seconds=1), tick=False):
        api = client_for(school.teacher, school.establishment, api=True)
        assert api.post(f"/api/v1/notices/{carnet.notice.pk}/remind/").json() == {"reminded": 1}
    assert [who for _kind, who in told(carnet)[1:]] == [{carnet.second_guardian.pk}] * 2
    reminded = AuditEntry.objects.filter(action="notices.reminded", target_id=str(carnet.notice.pk))
    assert [entry.details["guardians"] for entry in reminded.order_by("pk")] == [1, 1]
    with schema_context(school.establishment.schema_name):
        services.notice_acknowledge(actor=carnet.second_guardian, notice=carnet.notice)
        assert services.notice_remind(actor=school.teacher, notice=carnet.notice) == 0
        row = NoticeRecipient.objects.get(guardian__user_id=carnet.second_guardian.pk)
        assert row.acknowledged_at is not None


def test_a_guardian_of_two_children_acknowledges_once_and_the_family_view_counts(carnet: Carnet):
    school = carnet.people.school
    guardian_link_create(actor=None, guardian=school.guardian, child=school.students[2])
    with schema_context(school.establishment.schema_name):
        notice = services.notice_send(
            actor=school.school_life, title="Photo de classe", body="", school_class=school.school_class
        )
        children = [
            FamilyChild(user=child, member=carnet.people.m(child), can_act=True)
            for child in (school.students[0], school.students[2])
        ]
        news = family_news_for(
            establishment=school.establishment, guardian=school.guardian, children=children
        )
        assert [item.text for item in news[school.students[2].pk] if item.kind == "notice"] == [
            "1 notice to acknowledge for %s."
            % (school.students[2].first_name or school.students[2].display_name)
        ]
        assert "2 notices to acknowledge" in " ".join(item.text for item in news[school.students[0].pk])
    listing = client_for(school.guardian, school.establishment).get("/notices/").content.decode()
    assert listing.count("Photo de classe") == 2  # under each child
    api = client_for(school.guardian, school.establishment, api=True)
    assert api.post(f"/api/v1/notices/{notice.pk}/acknowledge/").json() == {"acknowledged": 2}
    received = api.get("/api/v1/notices/received/").json()["results"]
    assert {(r["notice"]["title"], r["acknowledged_at"] is not None) for r in received} == {
        ("Photo de classe", True),
        ("Sortie au musée jeudi", False),
    }


def test_who_may_see_and_acknowledge(carnet: Carnet, school_b):
    people = carnet.people
    school = people.school
    url = f"/notices/{carnet.notice.pk}/"
    ack = f"/api/v1/notices/{carnet.notice.pk}/acknowledge/"
    student = client_for(school.students[0], school.establishment, api=True)
    assert student.post(ack).status_code == 403  # a student cannot acknowledge for a guardian
    assert client_for(school.students[0], school.establishment).get(url).status_code == 403
    other_guardian = client_for(people.other_guardian, school.establishment)
    assert other_guardian.get(url).status_code == 404
    assert client_for(people.other_guardian, school.establishment, api=True).post(ack).status_code == 404
    other_teacher = client_for(school.other_teacher, school.establishment, api=True)
    assert other_teacher.get(f"/api/v1/notices/{carnet.notice.pk}/tally/").status_code == 404
    assert other_teacher.post(f"/api/v1/notices/{carnet.notice.pk}/remind/").status_code == 404
    refused = other_teacher.post(
        "/api/v1/notices/", {"title": "x", "class_id": school.school_class.pk}, format="json"
    )
    assert refused.status_code == 400 and "class_id" in refused.json()["error"]["fields"]
    head = client_for(people.by_role[Role.HEAD], school.establishment)
    assert "Who has acknowledged" in head.get(url).content.decode()
    # Another school's host: the same id names nothing there.
    other_head = member(school_b, Role.HEAD)
    assert client_for(other_head, school_b).get(url).status_code == 404
    assert (
        client_for(other_head, school_b, api=True).get(f"/api/v1/notices/{carnet.notice.pk}/").status_code
        == 404
    )


def test_chosen_students_and_bad_input(carnet: Carnet):
    school = carnet.people.school
    api = client_for(carnet.people.by_role[Role.SCHOOL_LIFE], school.establishment, api=True)
    sent = api.post(
        "/api/v1/notices/",
        {"title": "Retenue", "body": "<p>Mercredi</p>", "student_ids": [school.students[1].pk]},
        format="json",
    )
    assert sent.status_code == 201 and sent.json()["guardians"] == 1
    empty = api.post("/api/v1/notices/", {"title": "x"}, format="json")
    assert empty.status_code == 400 and "student_ids" in empty.json()["error"]["fields"]
    unknown = api.post("/api/v1/notices/", {"title": "x", "student_ids": [987654321]}, format="json")
    assert unknown.status_code == 400
    page = client_for(school.teacher, school.establishment)
    assert page.get("/notices/new/").status_code == 200
    with schema_context(school.establishment.schema_name):
        chosen = carnet.people.m(school.students[0]).pk
        outsider = carnet.people.m(school.other_student).pk
    made = page.post("/notices/new/", {"title": "Cahier oublié", "students": [str(chosen)]})
    assert made.status_code == 302
    with schema_context(school.establishment.schema_name):
        assert NoticeRecipient.objects.filter(notice__title="Cahier oublié").count() == 1
    # A student the teacher does not teach is not offered.
    assert page.post("/notices/new/", {"title": "x", "students": [str(outsider)]}).status_code == 400


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(url).status_code == 200  # the caches (host, membership) warm
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_pages_cost_a_bounded_number_of_queries(carnet: Carnet, settings):
    settings.MBN_PAGE_HOLD_SECONDS = 0  # what a render costs (held pages: tests/caching/test_held_pages.py)
    school = carnet.people.school
    teacher = client_for(school.teacher, school.establishment)
    guardian = client_for(school.guardian, school.establishment)
    small = [
        _queries(teacher, f"/notices/{carnet.notice.pk}/"),
        _queries(teacher, "/notices/"),
        _queries(guardian, "/notices/"),
    ]
    for _n in range(15):  # more students and guardians, another notice: the same number of queries
        child = member(school.establishment, Role.STUDENT, class_name=school.school_class.name)
        guardian_link_create(actor=None, guardian=member(school.establishment, Role.GUARDIAN), child=child)
    with schema_context(school.establishment.schema_name):
        notice = services.notice_send(
            actor=school.teacher, title="Grande lessive", body="", school_class=school.school_class
        )
    page = teacher.get(f"/notices/{notice.pk}/")
    assert page.content.decode().count("not yet") == 17
    large = [
        _queries(teacher, f"/notices/{notice.pk}/"),
        _queries(teacher, "/notices/"),
        _queries(guardian, "/notices/"),
    ]
    assert large == small and max(large) <= 22
