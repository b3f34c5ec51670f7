"""Threads: read receipts for the sender, a thread invisible to anyone not in it (404, on the
pages too, and from another school), replies, no-reply announcements, groups expanded to their
members, folders and French full-text search, reports to moderation, private threads refused to a
support agent impersonating the reader; folder pages cost a fixed number of queries."""

from __future__ import annotations

from django_tenants.utils import schema_context

from shared_apps.identity.roles import Role
from tenant_apps.messaging import services
from tenant_apps.messaging.audiences import Audience
from tenant_apps.messaging.models import Participant
from tests.conftest import client_for
from tests.factories import member
from tests.messaging.conftest import People, start
from tests.support.helpers import impersonating_client, support_agent
from tests.support.helpers import start as impersonate

API = "/api/v1/messages"


def api(people: People, user):
    return client_for(user, people.school.establishment, api=True)


def test_read_receipts_for_the_sender(people: People):
    teacher, guardian = people.by_role[Role.TEACHER], people.by_role[Role.GUARDIAN]
    thread = start(people, teacher, [guardian, people.by_role[Role.STUDENT]])
    (message,) = api(people, teacher).get(f"{API}/threads/{thread.pk}/").json()["messages"]
    assert message["read_by"]["read"] == 0 and message["read_by"]["total"] == 2
    inbox = api(people, guardian).get(f"{API}/threads/").json()["results"]
    assert [(row["id"], row["unread"]) for row in inbox] == [(thread.pk, True)]
    guardian_view = api(people, guardian).get(f"{API}/threads/{thread.pk}/").json()
    assert guardian_view["messages"][0]["read_by"] is None  # receipts are the sender's only
    assert api(people, guardian).get(f"{API}/threads/").json()["results"][0]["unread"] is False
    (message,) = api(people, teacher).get(f"{API}/threads/{thread.pk}/").json()["messages"]
    assert message["read_by"]["read"] == 1
    with schema_context(people.school.establishment.schema_name):
        assert message["read_by"]["names"] == [people.m(guardian).display_name]
    page = client_for(teacher, people.school.establishment).get(f"/messages/{thread.pk}/").content.decode()
    assert "Read by 1 of 2" in page


def test_a_thread_is_invisible_to_anyone_not_in_it(people: People, school_b):
    thread = start(people, people.by_role[Role.TEACHER], [people.by_role[Role.GUARDIAN]])
    for outsider in (people.other_guardian, people.by_role[Role.HEAD], people.other_student):
        assert api(people, outsider).get(f"{API}/threads/{thread.pk}/").status_code == 404
        assert (
            api(people, outsider)
            .post(f"{API}/threads/{thread.pk}/messages/", {"body": "x"}, format="json")
            .status_code
            == 404
        )
        assert (
            client_for(outsider, people.school.establishment).get(f"/messages/{thread.pk}/").status_code
            == 404
        )
        assert api(people, outsider).get(f"{API}/threads/").json()["count"] == 0
    stranger = member(school_b, Role.HEAD)
    assert client_for(stranger, school_b, api=True).get(f"{API}/threads/{thread.pk}/").status_code == 404
    assert client_for(stranger, school_b).get(f"/messages/{thread.pk}/").status_code == 404


def test_the_guardian_writes_and_the_teacher_replies(people: People):
    guardian, teacher = people.by_role[Role.GUARDIAN], people.by_role[Role.TEACHER]
    thread = start(
        people, guardian, [teacher], subject="Devoirs de Léa", body="Léa n'a pas compris l'exercice 3."
    )
    reply = api(people, teacher).post(
        f"{API}/threads/{thread.pk}/messages/", {"body": "Je la verrai demain."}, format="json"
    )
    assert reply.status_code == 201
    rows = api(people, guardian).get(f"{API}/threads/").json()["results"]
    assert rows[0]["id"] == thread.pk and rows[0]["unread"] is True
    sent = api(people, teacher).get(f"{API}/threads/?folder=sent").json()["results"]
    assert [r["id"] for r in sent] == [thread.pk]
    assert api(people, guardian).get(f"{API}/threads/?folder=nope").status_code == 400
    empty = api(people, teacher).post(f"{API}/threads/{thread.pk}/messages/", {"body": "  "}, format="json")
    assert empty.status_code == 400


def test_french_full_text_search(people: People):
    teacher = people.by_role[Role.TEACHER]
    start(
        people,
        teacher,
        [people.by_role[Role.GUARDIAN]],
        subject="Sortie",
        body="Les élèves visiteront les musées.",
    )
    start(
        people, teacher, [people.by_role[Role.GUARDIAN]], subject="Réunion", body="Conseil de classe jeudi."
    )
    guardian = api(people, people.by_role[Role.GUARDIAN])
    found = guardian.get(f"{API}/threads/?q=musée").json()["results"]  # plural and accents: French stemming
    assert [r["subject"] for r in found] == ["Sortie"]
    assert [r["subject"] for r in guardian.get(f"{API}/threads/?q=conseils").json()["results"]] == ["Réunion"]


def test_no_reply_announcements_and_groups(people: People):
    head = people.by_role[Role.HEAD]
    with schema_context(people.school.establishment.schema_name):
        thread = services.thread_start(
            actor=head,
            subject="Rentrée",
            body="La rentrée aura lieu lundi.",
            audiences=[
                Audience("guardians", people.school.school_class),
                Audience("teachers", people.school.school_class),
            ],
            no_reply=True,
        )
        members = set(Participant.objects.filter(thread=thread).values_list("member__user_id", flat=True))
    assert members == {head.pk, people.by_role[Role.GUARDIAN].pk, people.by_role[Role.TEACHER].pk}
    assert thread.audience == "Guardians of 6e T, Teachers of 6e T"
    refused = api(people, people.by_role[Role.GUARDIAN]).post(
        f"{API}/threads/{thread.pk}/messages/", {"body": "Merci"}, format="json"
    )
    assert refused.status_code == 403
    groups = api(people, people.by_role[Role.SCHOOL_LIFE]).post(
        f"{API}/threads/",
        {"subject": "Info", "body": "Bonjour", "groups": [{"kind": "students", "class_id": None}]},
        format="json",
    )
    assert groups.status_code == 400 and "groups" in groups.json()["error"]["fields"]


def test_report_to_moderation(people: People):
    thread = start(
        people, people.by_role[Role.STUDENT], [people.by_role[Role.TEACHER]], body="Message déplacé"
    )
    teacher = api(people, people.by_role[Role.TEACHER])
    message_id = teacher.get(f"{API}/threads/{thread.pk}/").json()["messages"][0]["id"]
    assert (
        teacher.post(
            f"{API}/messages/{message_id}/report/", {"reason": "Insultant"}, format="json"
        ).status_code
        == 201
    )
    assert (
        teacher.post(f"{API}/messages/{message_id}/report/", {"reason": "Encore"}, format="json").status_code
        == 409
    )
    outsider = api(people, people.other_guardian)
    assert (
        outsider.post(f"{API}/messages/{message_id}/report/", {"reason": "x"}, format="json").status_code
        == 404
    )
    life = api(people, people.by_role[Role.SCHOOL_LIFE])
    (report,) = life.get(f"{API}/reports/").json()["results"]
    assert report["body"] == "Message déplacé" and report["reason"] == "Insultant"
    assert teacher.get(f"{API}/reports/").status_code == 403
    assert (
        life.post(
            f"{API}/reports/{report['id']}/resolve/", {"resolution": "Vu avec l'élève"}, format="json"
        ).status_code
        == 200
    )
    assert life.get(f"{API}/reports/").json()["count"] == 0
    assert (
        client_for(people.by_role[Role.SCHOOL_LIFE], people.school.establishment)
        .get("/messages/reports/")
        .status_code
        == 200
    )


def test_an_impersonating_agent_cannot_read_a_private_thread(people: People):
    guardian = people.by_role[Role.GUARDIAN]
    private = start(people, people.by_role[Role.TEACHER], [guardian], private=True)
    ordinary = start(people, people.by_role[Role.TEACHER], [guardian])
    agent = support_agent()
    session = impersonate(agent, guardian, people.school.establishment)
    client = impersonating_client(agent, session)
    assert client.get(f"/messages/{ordinary.pk}/").status_code == 200
    assert client.get(f"/messages/{private.pk}/").status_code == 403
    api_client = impersonating_client(agent, session, api=True)
    refused = api_client.get(f"{API}/threads/{private.pk}/")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "impersonation_forbidden_page"


def test_folders_cost_a_fixed_number_of_queries(people: People, django_assert_max_num_queries):
    teacher, guardian = people.by_role[Role.TEACHER], people.by_role[Role.GUARDIAN]
    for n in range(30):
        start(people, teacher, [guardian], subject=f"Message {n}")
    client = client_for(guardian, people.school.establishment)
    client.get("/messages/")
    with django_assert_max_num_queries(12):
        assert client.get("/messages/").status_code == 200
    api_client = api(people, guardian)
    api_client.get(f"{API}/threads/")
    with django_assert_max_num_queries(10):
        assert api_client.get(f"{API}/threads/").json()["count"] == 30


def test_one_inbox_on_the_portal_labels_each_school(people: People, school_b):
    from django_tenants.utils import schema_context as in_schema

    from shared_apps.identity.services import membership_grant
    from tenant_apps.messaging import services as messaging

    guardian = people.by_role[Role.GUARDIAN]
    start(people, people.by_role[Role.TEACHER], [guardian], subject="Sortie à Alpha")
    membership_grant(actor=None, user=guardian, establishment=school_b, role=Role.GUARDIAN)
    head_b = member(school_b, Role.HEAD)
    with in_schema(school_b.schema_name):
        from tenant_apps.school.models import Member

        messaging.thread_start(
            actor=head_b,
            subject="Réunion à Bêta",
            body="Bonjour",
            recipients=[Member.objects.get(user_id=guardian.pk)],
        )
    page = client_for(guardian).get("/messages/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Sortie à Alpha" in text and "Réunion à Bêta" in text
    assert people.school.establishment.name in text and school_b.name in text
    assert client_for(people.other_guardian).get("/messages/").content.decode().count("Sortie à Alpha") == 0
