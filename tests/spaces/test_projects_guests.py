"""Project spaces (a teacher chooses the members), inter-school guests (only where both
establishments allow it; the guest reaches that space and nothing else of the host school), and
a space of school A asked for on school B's host (404)."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from shared_apps.audit.models import AuditEntry
from shared_apps.identity.roles import Role
from shared_apps.identity.services import membership_end
from tenant_apps.notifications.models import Notification
from tenant_apps.spaces.services import spaces_settings_set
from tests.conftest import client_for
from tests.factories import member


def project(spaces, members):
    answer = spaces.api(spaces.school.teacher).post(
        "/api/v1/spaces/",
        {"name": "Voyage à Berlin", "description": "3e : préparation du voyage", "members": members},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    return answer.json()


def test_a_teacher_creates_a_project_space_with_chosen_members(spaces):
    school = spaces.school
    made = project(
        spaces,
        [
            {"user_id": school.other_student.pk, "role": "contributor"},
            {"user_id": school.other_teacher.pk, "role": "owner"},
            {"user_id": school.students[0].pk, "role": "reader"},
        ],
    )
    assert made["my_role"] == "owner" and made["kind"] == "project"
    roles = {
        row["user_id"]: row["role"]
        for row in spaces.api(school.other_student).get(f"/api/v1/spaces/{made['id']}/members/").json()
    }
    assert roles == {
        school.teacher.pk: "owner",
        school.other_teacher.pk: "owner",
        school.other_student.pk: "contributor",
        school.students[0].pk: "reader",
    }
    assert spaces.api(school.students[1]).get(f"/api/v1/spaces/{made['id']}/").status_code == 404
    with spaces.schema():
        (told,) = Notification.objects.filter(type="spaces")
        assert set(told.recipients.values_list("user_id", flat=True)) == {
            school.other_student.pk,
            school.other_teacher.pk,
            school.students[0].pk,
        }
    assert AuditEntry.objects.filter(action="spaces.space_created", target_id=str(made["id"])).exists()


def test_students_and_guardians_create_no_project_space(spaces):
    for user in (spaces.school.students[0], spaces.school.guardian):
        answer = spaces.api(user).post("/api/v1/spaces/", {"name": "Club"}, format="json")
        assert answer.status_code == 403
        assert spaces.web(user).get("/spaces/new/").status_code == 403


def test_a_space_of_school_a_is_not_found_on_school_b(spaces, school_b):
    teacher_b = member(school_b, Role.TEACHER)
    space_id = spaces.class_space.pk
    api_b = client_for(teacher_b, school_b, api=True)
    web_b = client_for(teacher_b, school_b)
    assert api_b.get(f"/api/v1/spaces/{space_id}/").status_code == 404
    assert api_b.get(f"/api/v1/spaces/{space_id}/topics/").status_code == 404
    assert web_b.get(f"/spaces/{space_id}/").status_code == 404
    # And a teacher of A on B's host is no member there at all.
    assert client_for(spaces.school.teacher, school_b).get(f"/spaces/{space_id}/").status_code == 403


@pytest.fixture
def guest_setup(spaces, school_b):
    made = project(spaces, [{"user_id": spaces.school.students[0].pk, "role": "contributor"}])
    guest = member(school_b, Role.TEACHER, login="prof.berlin")
    return made, guest


def invite(spaces, made, guest, uai="0671250V"):
    return spaces.api(spaces.school.teacher).post(
        f"/api/v1/spaces/{made['id']}/guests/",
        {"login": guest.login, "uai": uai, "role": "contributor"},
        format="json",
    )


def allow(establishment, allowed: bool) -> None:
    with schema_context(establishment.schema_name):
        spaces_settings_set(actor=None, inter_school=allowed)


def test_a_guest_is_refused_unless_both_establishments_allow_it(spaces, school_b, guest_setup):
    made, guest = guest_setup
    for here, there in ((False, False), (True, False), (False, True)):
        allow(spaces.school.establishment, here)
        allow(school_b, there)
        refused = invite(spaces, made, guest)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "inter_school_refused"
    # Without the invitation, the person of B is refused on A's host.
    assert spaces.web(guest).get(f"/spaces/{made['id']}/").status_code == 403


def test_a_guest_reaches_that_space_only(spaces, school_b, guest_setup):
    made, guest = guest_setup
    allow(spaces.school.establishment, True)
    allow(school_b, True)
    added = invite(spaces, made, guest)
    assert added.status_code == 201, added.content
    assert added.json()["guest"] is True

    web, api = spaces.web(guest), spaces.api(guest)
    assert web.get(f"/spaces/{made['id']}/").status_code == 200
    assert [s["id"] for s in api.get("/api/v1/spaces/").json()["results"]] == [made["id"]]
    posted = api.post(
        f"/api/v1/spaces/{made['id']}/topics/", {"title": "Hallo!", "body": "Wir freuen uns."}, format="json"
    )
    assert posted.status_code == 201
    # Nothing else of school A: its other spaces, pages and API.
    assert web.get(f"/spaces/{spaces.class_space.pk}/").status_code in (403, 404)
    assert api.get(f"/api/v1/spaces/{spaces.class_space.pk}/").status_code in (403, 404)
    for path in (
        "/",
        "/messages/",
        "/timetable/",
        "/spaces/new/",
        "/api/v1/messages/threads/",
        "/api/v1/spaces/settings/",
    ):
        assert web.get(path).status_code == 403, path
    listing = web.get("/spaces/")
    assert listing.status_code == 200 and b"6e T" not in listing.content
    # A guest cannot become an owner.
    promoted = spaces.api(spaces.school.teacher).put(
        f"/api/v1/spaces/{made['id']}/members/{guest.pk}/", {"role": "owner"}, format="json"
    )
    assert promoted.status_code == 400

    # Their establishment withdraws its permission: the door closes.
    allow(school_b, False)
    assert web.get(f"/spaces/{made['id']}/").status_code == 403
    allow(school_b, True)
    assert web.get(f"/spaces/{made['id']}/").status_code == 200
    membership_end(actor=None, user=guest, establishment=school_b, role=Role.TEACHER)
    assert web.get(f"/spaces/{made['id']}/").status_code == 403
    assert AuditEntry.objects.filter(action="spaces.guest_added").count() == 1


def test_a_class_space_takes_no_guest(spaces, school_b, guest_setup):
    _made, guest = guest_setup
    allow(spaces.school.establishment, True)
    allow(school_b, True)
    refused = invite(spaces, {"id": spaces.class_space.pk}, guest)
    assert refused.status_code == 400


def test_only_leaders_change_the_inter_school_setting(spaces):
    school = spaces.school
    assert (
        spaces.api(school.teacher)
        .put("/api/v1/spaces/settings/", {"inter_school": True}, format="json")
        .status_code
        == 403
    )
    head = member(school.establishment, Role.HEAD)
    assert spaces.api(head).get("/api/v1/spaces/settings/").json() == {"inter_school": False}
    assert (
        spaces.api(head).put("/api/v1/spaces/settings/", {"inter_school": True}, format="json").status_code
        == 200
    )
    assert AuditEntry.objects.filter(action="spaces.settings_updated").count() == 1
