"""News: states with a frozen clock (scheduled publication, expiry by the beat task, idempotent),
its readers told once, targeting (a student of another class does not see a class's item), who
may publish, rich text cleaned, the image checked by its content and served safely from S3 under
the school's prefix, and another school's host: 404."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django_tenants.utils import schema_context

from mbn_platform.kernel.errors import PermissionDenied, ValidationFailed
from shared_apps.audit.models import AuditEntry
from shared_apps.identity.roles import Role
from tenant_apps.news import services
from tenant_apps.news.models import NewsItem, NewsState
from tenant_apps.news.selectors.news import news_visible
from tenant_apps.news.tasks import news_tick_task
from tenant_apps.notifications.models import Notification
from tests.conftest import S3_DOCUMENTS_BUCKET, client_for, s3_client
from tests.factories import member
from tests.messaging.conftest import People
from tests.news.conftest import NOON, png, to_class, write


def news_notifications(people: People) -> list[tuple[Notification, set[int]]]:
    """The news notifications stored at the school, each with its recipients."""
    with schema_context(people.school.establishment.schema_name):
        return [
            (n, set(n.recipients.values_list("user_id", flat=True)))
            for n in Notification.objects.filter(type="news").order_by("pk")
        ]


def test_scheduled_news_is_published_by_the_beat_then_expires_readers_told_once(people: People):
    school = people.school
    student = people.by_role[Role.STUDENT]
    with time_machine.travel(NOON, tick=False):
        item = write(people, publish=False, expire_at=NOON + datetime.timedelta(days=2))
        with schema_context(school.establishment.schema_name):
            item = services.news_publish(
                actor=people.by_role[Role.HEAD], item=item, at=NOON + datetime.timedelta(hours=1)
            )
            assert item.state == NewsState.SCHEDULED
            assert services.news_tick() == (0, 0)
            assert not news_visible(member=people.m(student)).exists()
        assert news_notifications(people) == []
    with time_machine.travel(NOON + datetime.timedelta(hours=1, minutes=1), tick=False):
        assert news_tick_task.run() >= 1  # every establishment, through the task
        with schema_context(school.establishment.schema_name):
            assert services.news_tick() == (0, 0)  # idempotent: a second run changes nothing
            item.refresh_from_db()
            assert item.state == NewsState.PUBLISHED
            assert item.published_at == NOON + datetime.timedelta(hours=1, minutes=1)
            assert list(news_visible(member=people.m(student))) == [item]
        ((told, readers),) = news_notifications(people)
        assert student.pk in readers and school.other_student.pk in readers
        assert people.by_role[Role.HEAD].pk not in readers  # not its author
        assert told.link == f"/news/{item.pk}/"
    later = NOON + datetime.timedelta(days=2, minutes=5)
    with time_machine.travel(later, tick=False), schema_context(school.establishment.schema_name):
        assert not news_visible(member=people.m(student)).exists()  # hidden before the beat
        assert services.news_tick() == (0, 1)
        assert services.news_tick() == (0, 0)
        item.refresh_from_db()
        assert item.state == NewsState.EXPIRED
    assert len(news_notifications(people)) == 1


def test_readers_are_told_once_even_when_it_is_withdrawn_and_published_again(people: People):
    head = people.by_role[Role.HEAD]
    item = write(people)
    with schema_context(people.school.establishment.schema_name):
        services.news_withdraw(actor=head, item=item)
        assert not news_visible(member=people.m(people.by_role[Role.STUDENT])).exists()
        services.news_publish(actor=head, item=item)
    assert len(news_notifications(people)) == 1


def test_a_targeted_item_is_seen_and_told_only_by_its_groups(people: People):
    school = people.school
    students = write(people, visibility="targeted", targets=to_class(people, "students"), title="Sortie 6e")
    guardians = write(people, visibility="targeted", targets=to_class(people, "guardians"), title="Réunion")
    teachers = write(people, visibility="targeted", targets=to_class(people, "teachers"), title="Conseil")
    with schema_context(school.establishment.schema_name):
        told = {
            n.source: set(n.recipients.values_list("user_id", flat=True)) for n in Notification.objects.all()
        }
    assert told[f"news:{students.pk}"] == {s.pk for s in school.students}
    assert told[f"news:{guardians.pk}"] == {school.guardian.pk}
    assert told[f"news:{teachers.pk}"] == {school.teacher.pk}
    seen = client_for(school.students[0], school.establishment).get("/news/").content.decode()
    assert "Sortie 6e" in seen and "Réunion" not in seen and "Conseil" not in seen
    other = client_for(school.other_student, school.establishment)
    assert "Sortie 6e" not in other.get("/news/").content.decode()
    assert other.get(f"/news/{students.pk}/").status_code == 404
    assert (
        client_for(school.other_student, school.establishment, api=True)
        .get(f"/api/v1/news/{students.pk}/")
        .status_code
        == 404
    )
    assert "Réunion" in client_for(school.guardian, school.establishment).get("/news/").content.decode()
    assert (
        client_for(people.other_guardian, school.establishment).get(f"/news/{guardians.pk}/").status_code
        == 404
    )
    assert client_for(school.teacher, school.establishment).get(f"/news/{teachers.pk}/").status_code == 200
    assert (
        client_for(school.other_teacher, school.establishment).get(f"/news/{teachers.pk}/").status_code == 404
    )
    listed = client_for(school.students[0], school.establishment, api=True).get("/api/v1/news/").json()
    assert [row["title"] for row in listed["results"]] == ["Sortie 6e"]


def test_a_groups_students_see_its_item_the_others_do_not(people: People):
    school = people.school
    head = client_for(people.by_role[Role.HEAD], school.establishment, api=True)
    made = head.post(
        "/api/v1/news/",
        {
            "title": "Voyage en Angleterre",
            "visibility": "targeted",
            "targets": [{"kind": "group", "group_id": school.group.pk}],
        },
        format="json",
    )
    assert made.status_code == 201 and made.json()["targets"][0]["group_id"] == school.group.pk
    assert head.post(f"/api/v1/news/{made.json()['id']}/publish/", {}, format="json").status_code == 200
    # The English group: the class's first student and the other class's student.
    for student, sees in (
        (school.students[0], True),
        (school.other_student, True),
        (school.students[1], False),
    ):
        shown = client_for(student, school.establishment).get("/news/").content.decode()
        assert ("Voyage en Angleterre" in shown) is sees
    ((_told, readers),) = news_notifications(people)
    assert readers == {school.students[0].pk, school.other_student.pk}
    bad = head.post(
        "/api/v1/news/",
        {"title": "x", "visibility": "targeted", "targets": [{"kind": "group", "group_id": 999999}]},
        format="json",
    )
    assert bad.status_code == 400 and "targets" in bad.json()["error"]["fields"]


def test_visitors_see_the_public_news_only(people: People):
    school = people.school
    public = write(people, visibility="public", title="Fête du collège")
    members = write(people, title="Conseil pédagogique")
    visitor = client_for(None, school.establishment)
    listing = visitor.get("/news/").content.decode()
    assert "Fête du collège" in listing and "Conseil pédagogique" not in listing
    assert visitor.get(f"/news/{public.pk}/").status_code == 200
    assert visitor.get(f"/news/{members.pk}/").status_code == 404
    home = visitor.get("/").content.decode()
    assert "Fête du collège" in home and "Conseil pédagogique" not in home


def test_who_may_publish(people: People):
    school = people.school
    teacher = client_for(school.teacher, school.establishment, api=True)
    body = {"title": "Concours", "body": "", "visibility": "members"}
    assert teacher.post("/api/v1/news/", body, format="json").status_code == 403
    assert (
        client_for(school.students[0], school.establishment, api=True)
        .post("/api/v1/news/", body, format="json")
        .status_code
        == 403
    )
    head = client_for(people.by_role[Role.HEAD], school.establishment, api=True)
    named = head.post(
        "/api/v1/news/editors/", {"member_id": school.teacher.pk, "allowed": True}, format="json"
    )
    assert named.status_code == 204
    made = teacher.post("/api/v1/news/", body, format="json")
    assert made.status_code == 201 and made.json()["state"] == "draft"
    assert (
        teacher.post(f"/api/v1/news/{made.json()['id']}/publish/", {}, format="json").json()["state"]
        == "published"
    )
    assert (
        head.post(
            "/api/v1/news/editors/", {"member_id": school.students[0].pk, "allowed": True}, format="json"
        ).status_code
        == 400
    )
    with schema_context(school.establishment.schema_name), pytest.raises(PermissionDenied):
        services.news_save(actor=school.other_teacher, title="x", body="", visibility="members")


def test_bad_input_names_the_field(people: People):
    head = client_for(people.by_role[Role.HEAD], people.school.establishment, api=True)
    no_group = head.post("/api/v1/news/", {"title": "x", "visibility": "targeted"}, format="json")
    assert no_group.status_code == 400 and "targets" in no_group.json()["error"]["fields"]
    unknown = head.post(
        "/api/v1/news/",
        {"title": "x", "visibility": "targeted", "targets": [{"kind": "students", "class_id": 999999}]},
        format="json",
    )
    assert unknown.status_code == 400 and "targets" in unknown.json()["error"]["fields"]
    item = write(people, publish=False)
    past = head.post(f"/api/v1/news/{item.pk}/publish/", {"at": "not a date"}, format="json")
    assert past.status_code == 400 and "at" in past.json()["error"]["fields"]
    with schema_context(people.school.establishment.schema_name), pytest.raises(ValidationFailed):
        services.news_save(
            actor=people.by_role[Role.HEAD],
            item=item,
            title="x",
            body="",
            visibility="members",
            expire_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC),
        )


def test_the_editor_page_writes_cleans_and_publishes(people: People):
    school = people.school
    head = client_for(people.by_role[Role.HEAD], school.establishment)
    assert head.get("/news/new/").status_code == 200
    made = head.post(
        "/news/new/",
        {
            "action": "publish",
            "title": "Cross du collège",
            "body": "<p>Rendez-vous au stade.</p><script>alert(1)</script>",
            "visibility": "targeted",
            "targets": [f"students:{school.school_class.pk}", "staff:"],
        },
    )
    assert made.status_code == 302
    with schema_context(school.establishment.schema_name):
        item = NewsItem.objects.get(title="Cross du collège")
        assert item.state == NewsState.PUBLISHED and "<script>" not in item.body
        assert {t.kind for t in item.targets.all()} == {"students", "staff"}
    assert "Cross du collège" in head.get("/news/manage/").content.decode()
    assert head.post(f"/news/{item.pk}/edit/", {"action": "withdraw"}).status_code == 302
    assert head.post(f"/news/{item.pk}/edit/", {"action": "delete"}).status_code == 302
    with schema_context(school.establishment.schema_name):
        assert not NewsItem.objects.filter(pk=item.pk).exists()
    actions = set(AuditEntry.objects.filter(target_id=str(item.pk)).values_list("action", flat=True))
    assert {"news.created", "news.published", "news.withdrawn", "news.deleted"} <= actions
    bad = head.post("/news/new/", {"action": "save", "title": "", "visibility": "members"})
    assert bad.status_code == 400
    assert client_for(school.teacher, school.establishment).get("/news/new/").status_code == 404


def test_the_image_is_checked_stored_under_the_prefix_and_served_safely(
    people: People,
    s3_default_storage,
    school_b,
):
    school = people.school
    item = write(people, visibility="public")
    head = client_for(people.by_role[Role.HEAD], school.establishment, api=True)
    wrong = head.post(f"/api/v1/news/{item.pk}/image/", {"image": _pdf()}, format="multipart")
    assert wrong.status_code == 400 and "image" in wrong.json()["error"]["fields"]
    sent = head.post(f"/api/v1/news/{item.pk}/image/", {"image": png()}, format="multipart")
    assert sent.status_code == 200 and sent.json()["image_url"] == f"/news/{item.pk}/image/"
    with schema_context(school.establishment.schema_name):
        item.refresh_from_db()
    assert item.image.name.startswith(f"{school.establishment.schema_name}/news/")
    keys = [
        o["Key"]
        for o in s3_client(s3_default_storage).list_objects_v2(Bucket=S3_DOCUMENTS_BUCKET)["Contents"]
    ]
    assert item.image.name in keys
    shown = client_for(None, school.establishment).get(f"/news/{item.pk}/image/")
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert shown["X-Content-Type-Options"] == "nosniff" and shown["Content-Disposition"] == "inline"
    assert b"".join(shown.streaming_content).startswith(b"\x89PNG")
    other_head = member(school_b, Role.HEAD)
    assert client_for(other_head, school_b).get(f"/news/{item.pk}/image/").status_code == 404
    assert client_for(other_head, school_b, api=True).get(f"/api/v1/news/{item.pk}/").status_code == 404


def _pdf():
    from tests.homework.conftest import pdf

    return pdf()
