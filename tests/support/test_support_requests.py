"""Support requests: opened from any page, worked by support agents on the portal, visible to the
requester and their establishment's admins, to nobody of another establishment."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from shared_apps.identity.roles import Role
from shared_apps.support.models import SupportRequest, SupportRequestStatus
from shared_apps.support.services import support_request_create
from tests.conftest import client_for
from tests.factories import member
from tests.support.helpers import entries, error_code, operator, support_agent, text

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def student(school_a):
    return member(school_a, Role.STUDENT, first_name="Zoé", last_name="Martin", email="zoe@example.org")


@pytest.fixture
def agent(db):
    return support_agent(first_name="Agathe", last_name="Support")


def open_request(user, establishment, **fields) -> SupportRequest:
    return support_request_create(
        actor=user,
        establishment=establishment,
        subject=fields.pop("subject", "My timetable is empty"),
        description=fields.pop("description", "Since Monday I see no lesson."),
        **fields,
    )


def test_a_user_opens_a_request_from_a_page_with_a_screenshot(student, school_a):
    client = client_for(student, school_a)
    form = client.get("/support/requests/new/?from=/classes/3/")
    assert form.status_code == 200 and 'value="/classes/3/"' in form.content.decode()

    response = client.post(
        "/support/requests/new/",
        {
            "subject": "My timetable is empty",
            "description": "Since Monday I see no lesson.",
            "page_url": "/classes/3/",
            "screenshot": SimpleUploadedFile("capture.png", PNG, content_type="image/png"),
        },
    )

    assert response.status_code == 302
    created = SupportRequest.objects.get(requester=student)
    assert created.establishment == school_a
    assert created.page_url == "http://alpha.localhost/classes/3/"
    assert created.screenshot.name.startswith(f"{school_a.schema_name}/support/screenshots/")
    assert created.screenshot.name.endswith(".png")
    assert len(entries("support.request_created", target_id=str(created.pk))) == 1
    shown = client.get(response["Location"])
    assert "My timetable is empty" in text(shown)
    image = client.get(f"/support/requests/{created.pk}/screenshot/")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert b"".join([image.content]) == PNG


def test_a_screenshot_must_be_an_image(student, school_a):
    response = client_for(student, school_a).post(
        "/support/requests/new/",
        {
            "subject": "Bug",
            "description": "Broken.",
            "screenshot": SimpleUploadedFile("capture.png", b"<script>", content_type="image/png"),
        },
    )
    assert response.status_code == 400
    assert "PNG, JPEG, GIF or WebP" in text(response)
    assert not SupportRequest.objects.exists()


def test_the_requester_and_the_establishments_admins_see_it_nobody_else(student, school_a, school_b):
    created = open_request(student, school_a)
    detail = f"/support/requests/{created.pk}/"

    assert client_for(student, school_a).get(detail).status_code == 200
    admin = member(school_a, Role.ESTABLISHMENT_ADMIN)
    assert client_for(admin, school_a).get(detail).status_code == 200
    assert "My timetable is empty" in text(client_for(admin, school_a).get("/support/requests/"))
    teacher = member(school_a, Role.TEACHER)
    assert client_for(teacher, school_a).get(detail).status_code == 404
    assert "My timetable is empty" not in text(client_for(teacher, school_a).get("/support/requests/"))
    admin_of_b = member(school_b, Role.ESTABLISHMENT_ADMIN)
    assert client_for(admin_of_b, school_b).get(detail).status_code == 404
    assert client_for(admin_of_b, school_b).get(f"{detail}screenshot/").status_code == 404
    api = client_for(admin_of_b, school_b, api=True).get(f"/api/v1/support/requests/{created.pk}/")
    assert api.status_code == 404 and error_code(api) == "not_found"
    assert client_for(admin_of_b, school_b, api=True).get("/api/v1/support/requests/").json()["count"] == 0


def test_an_admin_opens_a_request_on_behalf_of_a_member(student, school_a):
    admin = member(school_a, Role.ESTABLISHMENT_ADMIN)
    response = client_for(admin, school_a).post(
        "/support/requests/new/",
        {"subject": "Zoé cannot sign in", "description": "She lost her code.", "on_behalf_of": student.login},
    )
    assert response.status_code == 302
    created = SupportRequest.objects.get(requester=admin)
    assert created.on_behalf_of == student
    assert client_for(student, school_a).get(f"/support/requests/{created.pk}/").status_code == 200
    # A teacher has no such field; the service refuses anyway.
    from mbn_platform.kernel.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        open_request(member(school_a, Role.TEACHER), school_a, on_behalf_of=student)


def test_an_agent_works_the_queue_assign_reply_resolve(
    student, agent, school_a, monkeypatch, django_capture_on_commit_callbacks
):
    from shared_apps.support.tasks import support_reply_notify_task

    monkeypatch.setattr(
        support_reply_notify_task,
        "apply_async",
        lambda args, **options: support_reply_notify_task.apply(args),
    )
    created = open_request(student, school_a)
    portal = client_for(agent, None)

    queue = portal.get(f"/support/queue/?uai={school_a.uai}")
    assert queue.status_code == 200 and "My timetable is empty" in text(queue)
    assert "My timetable is empty" not in text(portal.get("/support/queue/?uai=0671250V"))

    assert portal.post(f"/support/requests/{created.pk}/assign/", {"assignee": agent.pk}).status_code == 302
    assert "My timetable is empty" in text(portal.get("/support/queue/?mine=1"))
    with django_capture_on_commit_callbacks(execute=True):
        replied = portal.post(f"/support/requests/{created.pk}/", {"body": "Try to sign out and in again."})
    assert replied.status_code == 302
    assert portal.post(f"/support/requests/{created.pk}/resolve/").status_code == 302

    created.refresh_from_db()
    assert created.status == SupportRequestStatus.RESOLVED and created.assignee == agent
    [sent] = mail.outbox
    assert sent.to == ["zoe@example.org"]
    assert "Try to sign out and in again." in sent.body
    assert f"http://alpha.localhost/support/requests/{created.pk}/" in sent.body
    assert support_reply_notify_task.apply((created.replies.get().pk,)).get() == 0  # sent once
    for action in ("support.request_assigned", "support.reply_added", "support.request_resolved"):
        assert len(entries(action, target_id=str(created.pk))) == 1, action
    assert "Try to sign out and in again." in text(
        client_for(student, school_a).get(f"/support/requests/{created.pk}/")
    )


def test_the_queue_and_its_actions_are_for_support_agents_only(student, school_a):
    created = open_request(student, school_a)
    for user in (operator(), member(school_a, Role.HEAD)):
        portal = client_for(user, None)
        assert portal.get("/support/queue/").status_code == 403
        assert portal.post(f"/support/requests/{created.pk}/assign/", {}).status_code == 403
    head = member(school_a, Role.HEAD)
    # On the school's host the queue does not exist.
    assert client_for(head, school_a).get("/support/queue/").status_code == 404


def test_the_agent_opens_the_screenshot_stored_under_the_schools_prefix(student, agent, school_a):
    created = open_request(
        student, school_a, screenshot=SimpleUploadedFile("c.png", PNG, content_type="image/png")
    )
    image = client_for(agent, None).get(f"/support/requests/{created.pk}/screenshot/")
    assert image.status_code == 200 and image.content == PNG


def test_the_api_opens_and_lists_ones_requests(student, school_a):
    api = client_for(student, school_a, api=True)
    created = api.post(
        "/api/v1/support/requests/",
        {"subject": "Grades missing", "description": "Maths grades are gone.", "page_url": "/grades/"},
        format="json",
    )
    assert created.status_code == 201
    body = created.json()
    assert body["establishment"] == school_a.uai and body["status"] == "open"
    assert api.get("/api/v1/support/requests/").json()["count"] == 1
    reply = api.post(f"/api/v1/support/requests/{body['id']}/replies/", {"body": "Any news?"}, format="json")
    assert reply.status_code == 201
    detail = api.get(f"/api/v1/support/requests/{body['id']}/").json()
    assert [r["body"] for r in detail["replies"]] == ["Any news?"]
    invalid = api.post("/api/v1/support/requests/", {"subject": "x"}, format="json")
    assert invalid.status_code == 400 and "description" in invalid.json()["error"]["fields"]


def test_the_help_link_is_on_every_page(student, school_a):
    page = client_for(student, school_a).get("/")
    assert "/support/requests/new/?from=/" in page.content.decode()


def test_impersonating_from_a_request_targets_the_person_it_concerns(student, agent, school_a):
    created = open_request(student, school_a)
    portal = client_for(agent, None)
    page = portal.get(f"/support/requests/{created.pk}/")
    assert "Impersonate the requester" in text(page)

    response = portal.post("/support/impersonate/", {"support_request": created.pk, "reason": ""})

    assert response.status_code == 302
    [started] = entries("impersonation.start")
    assert started.acting_as_id == student.pk
    assert started.details["support_request_id"] == created.pk
    created.status = SupportRequestStatus.RESOLVED
    created.save()
    other_agent = support_agent()
    refused = client_for(other_agent, None).post("/support/impersonate/", {"support_request": created.pk})
    assert refused.status_code == 400
