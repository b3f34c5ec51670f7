"""The memberships admin of an establishment: its admins and head manage roles and guardian links,
of their establishment only (another's: 404; other roles: 403), with a bounded number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from mbn_platform.kernel.errors import PermissionDenied
from shared_apps.audit.models import AuditEntry
from shared_apps.directory.models import ActivationCode
from shared_apps.identity.memberships import establishment_membership_grant
from shared_apps.identity.models import GuardianLink, Membership, MembershipStatus, User
from shared_apps.identity.roles import Role
from shared_apps.identity.services import guardian_link_create
from tenant_apps.school.models import Member
from tenant_apps.school.services import school_class_ensure
from tests.conftest import client_for
from tests.factories import UserFactory, member


@pytest.fixture
def admin_a(school_a):
    return member(school_a, Role.ESTABLISHMENT_ADMIN)


@pytest.fixture
def api_a(school_a, admin_a):
    return client_for(admin_a, school_a, api=True)


def _member_row(establishment, user_id: int) -> Member:
    with schema_context(establishment.schema_name):
        return Member.objects.select_related("school_class").get(user_id=user_id)


def test_an_admin_lists_searches_and_filters_the_memberships(school_a, api_a):
    with schema_context(school_a.schema_name):
        school_class_ensure(name="4e K", level="4e")
    student = member(school_a, Role.STUDENT, class_name="4e K", last_name="Zorglub", first_name="Léon")
    teacher = member(school_a, Role.TEACHER, last_name="Zorglub", first_name="Marie")
    departed = member(school_a, Role.TEACHER, last_name="Zorglub", first_name="Paul")
    Membership.objects.filter(user=departed).update(status=MembershipStatus.DEPARTED)

    found = api_a.get("/api/v1/memberships/", {"q": "zorglub"}).json()
    assert found["count"] == 3
    rows = {row["person"]["id"]: row for row in found["results"]}
    assert rows[student.pk]["role"] == "student" and rows[student.pk]["class_name"] == "4e K"
    assert rows[teacher.pk]["class_name"] is None

    teachers = api_a.get("/api/v1/memberships/", {"q": "zorglub", "role": "teacher", "status": "active"})
    assert [row["person"]["id"] for row in teachers.json()["results"]] == [teacher.pk]
    gone = api_a.get("/api/v1/memberships/", {"q": "zorglub", "status": "departed"}).json()
    assert [row["person"]["id"] for row in gone["results"]] == [departed.pk]

    bad = api_a.get("/api/v1/memberships/", {"role": "wizard"})
    assert bad.status_code == 400 and "role" in bad.json()["error"]["fields"]


def test_an_admin_grants_a_role_to_someone_of_the_region_and_ends_it_keeping_the_history(
    school_a, school_b, admin_a, api_a
):
    teacher_of_b = member(school_b, Role.TEACHER, email="prof.deux@example.org")

    granted = api_a.post(
        "/api/v1/memberships/", {"person": "PROF.DEUX@example.org", "role": "teacher"}, format="json"
    )
    assert granted.status_code == 201, granted.content
    membership_id = granted.json()["id"]
    assert granted.json()["person"]["id"] == teacher_of_b.pk  # one account, two establishments
    assert _member_row(school_a, teacher_of_b.pk).roles == ["teacher"]
    assert client_for(teacher_of_b, school_a).get("/").status_code == 200

    ended = api_a.post(f"/api/v1/memberships/{membership_id}/end/")
    assert ended.status_code == 200 and ended.json()["status"] == "departed"
    assert Membership.objects.get(pk=membership_id).status == MembershipStatus.DEPARTED  # kept
    assert not _member_row(school_a, teacher_of_b.pk).is_active
    assert client_for(teacher_of_b, school_a).get("/").status_code == 403  # no role here any more
    assert client_for(teacher_of_b, school_b).get("/").status_code == 200  # still a teacher there
    actions = set(
        AuditEntry.objects.filter(actor_id=admin_a.pk, establishment_id=school_a.pk).values_list(
            "action", flat=True
        )
    )
    assert {"membership.grant", "membership.end"} <= actions


def test_a_student_who_moves_school_keeps_their_account_and_history(school_a, school_b):
    with schema_context(school_b.schema_name):
        school_class_ensure(name="2de 3", level="2de")
    student = member(school_a, Role.STUDENT, national_id="070809101AB")
    admin_b = member(school_b, Role.ESTABLISHMENT_ADMIN)
    head_a = member(school_a, Role.HEAD)

    api_b = client_for(admin_b, school_b, api=True)
    moved = api_b.post(
        "/api/v1/memberships/",
        {"person": "070809101ab", "role": "student", "class_name": "2de 3"},
        format="json",
    )
    assert moved.status_code == 201, moved.content
    assert moved.json()["person"]["id"] == student.pk and moved.json()["class_name"] == "2de 3"
    leaving = Membership.objects.get(user=student, establishment=school_a, role=Role.STUDENT)
    api_a = client_for(head_a, school_a, api=True)
    assert api_a.post(f"/api/v1/memberships/{leaving.pk}/end/").status_code == 200

    assert User.objects.filter(national_id="070809101AB").count() == 1
    history = dict(Membership.objects.filter(user=student).values_list("establishment_id", "status"))
    assert history == {school_a.pk: "departed", school_b.pk: "active"}


def test_an_unknown_class_or_person_is_a_400_naming_the_field(school_a, api_a):
    someone = member(school_a, Role.GUARDIAN)
    no_class = api_a.post(
        "/api/v1/memberships/",
        {"person_id": someone.pk, "role": "student", "class_name": "9e Z"},
        format="json",
    )
    assert no_class.status_code == 400 and "class_name" in no_class.json()["error"]["fields"]
    nobody = api_a.post("/api/v1/memberships/", {"person": "nobody.here", "role": "teacher"}, format="json")
    assert nobody.status_code == 400 and "person" in nobody.json()["error"]["fields"]


def test_an_admin_creates_a_new_person_who_gets_an_activation_code(school_a, api_a, admin_a):
    created = api_a.post(
        "/api/v1/memberships/people/",
        {"first_name": "Yasmine", "last_name": "Nouvelle", "role": "admin_staff"},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["emailed"] is False and body["activation_code"]
    assert created["Cache-Control"] == "no-store"
    person = User.objects.get(pk=body["membership"]["person"]["id"])
    assert person.login == "yasmine.nouvelle" and not person.has_usable_password()
    assert body["membership"]["role"] == "admin_staff"
    assert ActivationCode.objects.filter(user=person, channel="admin", used_at__isnull=True).count() == 1

    activated = client_for(None, school_a, api=True).post(
        "/api/v1/account/activate/",
        {"login": person.login, "code": body["activation_code"], "password": "Un mot de passe solide 42"},
        format="json",
    )
    assert activated.status_code == 200
    assert AuditEntry.objects.filter(action="membership.person_created", actor_id=admin_a.pk).exists()


def test_a_new_person_with_an_address_gets_the_code_by_email(
    school_a, api_a, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    from shared_apps.directory.tasks import activation_emails_task

    # The e-mail is a task queued once the transaction commits; here it runs in the process.
    monkeypatch.setattr(
        activation_emails_task, "apply_async", lambda args, **options: activation_emails_task.apply(args)
    )
    with django_capture_on_commit_callbacks(execute=True):
        created = api_a.post(
            "/api/v1/memberships/people/",
            {"first_name": "Hugo", "last_name": "Courriel", "email": "hugo.c@example.org", "role": "teacher"},
            format="json",
        )
    assert created.status_code == 201, created.content
    assert created.json()["emailed"] is True and created.json()["activation_code"] is None
    assert [m.to for m in mailoutbox] == [["hugo.c@example.org"]]

    again = api_a.post(
        "/api/v1/memberships/people/",
        {"first_name": "Autre", "last_name": "Personne", "email": "HUGO.C@example.org", "role": "teacher"},
        format="json",
    )
    assert again.status_code == 400 and "email" in again.json()["error"]["fields"]


def test_an_admin_manages_the_guardian_links_of_a_student(school_a, api_a):
    child = member(school_a, Role.STUDENT)
    parent = UserFactory(email="parent.lien@example.org")  # in the region, not yet in this school

    linked = api_a.post(
        "/api/v1/memberships/guardian-links/",
        {
            "guardian": "parent.lien@example.org",
            "child_id": child.pk,
            "responsibility_level": 1,
            "can_act": True,
        },
        format="json",
    )
    assert linked.status_code == 201, linked.content
    link_id = linked.json()["id"]
    assert Membership.objects.filter(user=parent, establishment=school_a, role=Role.GUARDIAN).exists()

    changed = api_a.patch(
        f"/api/v1/memberships/guardian-links/{link_id}/",
        {"responsibility_level": 3, "can_act": False},
        format="json",
    )
    assert changed.status_code == 200
    link = GuardianLink.objects.get(pk=link_id)
    assert (link.responsibility_level, link.can_act) == (3, False)
    listed = api_a.get("/api/v1/memberships/guardian-links/", {"child_id": child.pk}).json()
    assert [row["guardian"]["id"] for row in listed["results"]] == [parent.pk]

    assert api_a.delete(f"/api/v1/memberships/guardian-links/{link_id}/").status_code == 204
    assert not GuardianLink.objects.filter(pk=link_id).exists()
    # No child here any more: the guardian role here ends too (history kept).
    assert (
        Membership.objects.get(user=parent, establishment=school_a, role=Role.GUARDIAN).status == "departed"
    )
    actions = list(
        AuditEntry.objects.filter(action__startswith="guardian_link.").values_list("action", flat=True)
    )
    assert sorted(actions) == ["guardian_link.remove", "guardian_link.set", "guardian_link.set"]


def test_an_admin_of_another_school_gets_404_and_a_teacher_403(school_a, school_b):
    student_a = member(school_a, Role.STUDENT)
    parent = member(school_a, Role.GUARDIAN)
    link = guardian_link_create(actor=None, guardian=parent, child=student_a)
    membership_a = Membership.objects.get(user=student_a, establishment=school_a)
    admin_b = member(school_b, Role.ESTABLISHMENT_ADMIN)
    api_b = client_for(admin_b, school_b, api=True)

    for response in (
        api_b.get(f"/api/v1/memberships/{membership_a.pk}/"),
        api_b.post(f"/api/v1/memberships/{membership_a.pk}/end/"),
        api_b.get(f"/api/v1/memberships/guardian-links/{link.pk}/"),
        api_b.delete(f"/api/v1/memberships/guardian-links/{link.pk}/"),
        api_b.post(
            "/api/v1/memberships/guardian-links/",
            {"guardian_id": parent.pk, "child_id": student_a.pk},
            format="json",
        ),
        client_for(admin_b, school_b).get(f"/members/{membership_a.pk}/"),
        client_for(admin_b, school_b).post(f"/members/{membership_a.pk}/end/"),
    ):
        assert response.status_code == 404
    assert Membership.objects.get(pk=membership_a.pk).status == MembershipStatus.ACTIVE
    assert GuardianLink.objects.filter(pk=link.pk).exists()
    assert api_b.get("/api/v1/memberships/", {"q": student_a.last_name}).json()["count"] == 0

    teacher = member(school_a, Role.TEACHER)
    assert client_for(teacher, school_a, api=True).get("/api/v1/memberships/").status_code == 403
    assert client_for(teacher, school_a).get("/members/").status_code == 403
    assert client_for(teacher, school_a).post(f"/members/{membership_a.pk}/end/").status_code == 403


def test_the_services_refuse_an_actor_who_does_not_administer_the_establishment(school_a, school_b):
    admin_b = member(school_b, Role.ESTABLISHMENT_ADMIN)
    someone = member(school_a, Role.STUDENT)
    with pytest.raises(PermissionDenied):
        establishment_membership_grant(actor=admin_b, establishment=school_a, user=someone, role="teacher")
    assert not Membership.objects.filter(user=someone, role="teacher").exists()


def test_an_admin_cannot_remove_their_own_admin_role(school_a, admin_a, api_a):
    own = Membership.objects.get(user=admin_a, establishment=school_a, role=Role.ESTABLISHMENT_ADMIN)
    response = api_a.post(f"/api/v1/memberships/{own.pk}/end/")
    assert response.status_code == 409 and response.json()["error"]["code"] == "own_admin_role"


def test_a_head_without_a_second_factor_cannot_reach_the_members_pages(school_a):
    head = member(school_a, Role.HEAD)
    page = client_for(head, school_a, second_factor=False).get("/members/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/second-factor/setup/")
    api = client_for(head, school_a, api=True, second_factor=False).get("/api/v1/memberships/")
    assert api.status_code == 403 and api.json()["error"]["code"] == "second_factor_required"


def test_the_pages_find_grant_end_create_and_link(school_a, school_b, admin_a):
    web = client_for(admin_a, school_a)
    other = member(school_b, Role.TEACHER, login="prof.ailleurs")
    assert 'href="/members/"' in web.get("/").content.decode()  # from the school's home

    found = web.get("/members/new/", {"identifier": "prof.ailleurs"})
    assert found.status_code == 200 and other.display_name in found.content.decode()
    granted = web.post(
        "/members/new/", {"action": "grant", "identifier": "prof.ailleurs", "grant-role": "teacher"}
    )
    assert granted.status_code == 302
    membership = Membership.objects.get(user=other, establishment=school_a)
    assert granted["Location"] == f"/members/{membership.pk}/"
    detail = web.get(granted["Location"]).content.decode()
    assert "Teacher" in detail

    assert web.post(f"/members/{membership.pk}/end/").status_code == 302
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.DEPARTED

    not_found = web.get("/members/new/", {"identifier": "personne.inconnue"})
    assert 'role="status"' in not_found.content.decode()
    invalid = web.post(
        "/members/new/", {"action": "create", "create-first_name": "", "create-role": "teacher"}
    )
    assert invalid.status_code == 400 and 'role="alert"' in invalid.content.decode()
    created = web.post(
        "/members/new/",
        {
            "action": "create",
            "create-first_name": "Noé",
            "create-last_name": "Neuf",
            "create-role": "student",
        },
    )
    assert created.status_code == 200 and created["Cache-Control"] == "no-store"
    new_person = User.objects.get(first_name="Noé", last_name="Neuf")
    assert f'id="created-login">{new_person.login}<' in created.content.decode()

    student_membership = Membership.objects.get(user=new_person, establishment=school_a)
    parent = member(school_a, Role.GUARDIAN, login="parent.de.noe")
    linked = web.post(
        f"/members/{student_membership.pk}/guardians/",
        {
            "guardian-identifier": "parent.de.noe",
            "guardian-responsibility_level": "1",
            "guardian-can_act": "on",
        },
    )
    assert linked.status_code == 302
    link = GuardianLink.objects.get(guardian=parent, child=new_person)
    assert link.can_act
    web.post(f"/members/guardian-links/{link.pk}/", {f"link-{link.pk}-responsibility_level": "2"})
    link.refresh_from_db()
    assert (link.responsibility_level, link.can_act) == (2, False)
    assert web.post(f"/members/guardian-links/{link.pk}/remove/").status_code == 302
    assert not GuardianLink.objects.filter(pk=link.pk).exists()


def test_the_members_list_page_and_api_run_a_bounded_number_of_queries(school_a, admin_a):
    with schema_context(school_a.schema_name):
        school_class_ensure(name="6e Q", level="6e")
    web = client_for(admin_a, school_a)
    api = client_for(admin_a, school_a, api=True)

    def count(client, path: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
            assert response.status_code == 200
        return len(ctx.captured_queries)

    member(school_a, Role.STUDENT, class_name="6e Q")
    count(web, "/members/")  # warm the per-process caches (host, access, session)
    count(api, "/api/v1/memberships/")
    few = (count(web, "/members/"), count(api, "/api/v1/memberships/"))
    for _ in range(15):
        member(school_a, Role.STUDENT, class_name="6e Q")
        member(school_a, Role.GUARDIAN)
    many = (count(web, "/members/"), count(api, "/api/v1/memberships/"))
    assert many == few
    assert few[0] <= 12 and few[1] <= 10


def test_a_students_page_runs_a_bounded_number_of_queries(school_a, admin_a):
    child = member(school_a, Role.STUDENT)
    membership = Membership.objects.get(user=child, establishment=school_a)
    web = client_for(admin_a, school_a)
    path = f"/members/{membership.pk}/"

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert web.get(path).status_code == 200
        return len(ctx.captured_queries)

    guardian_link_create(actor=None, guardian=member(school_a, Role.GUARDIAN), child=child)
    count()
    few = count()
    for _ in range(6):
        guardian_link_create(actor=None, guardian=member(school_a, Role.GUARDIAN), child=child)
    assert count() == few <= 14
