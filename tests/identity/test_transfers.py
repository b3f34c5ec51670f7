"""A school cannot take over another school's families (issue 13, fault 1): enrolling a student of
another establishment is a transfer that establishment releases; guardian links are changed only by
the establishment the child studies in, and only there; both logs record each step."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from mbn_platform.kernel.errors import PermissionDenied
from shared_apps.audit.models import AuditEntry
from shared_apps.identity.memberships import establishment_transfer_accept
from shared_apps.identity.models import (
    EnrolmentTransfer,
    GuardianLink,
    Membership,
    MembershipStatus,
    RegionRoleAssignment,
)
from shared_apps.identity.roles import RegionRole, Role
from shared_apps.identity.services import guardian_link_create, membership_grant
from tenant_apps.school.services import school_class_ensure
from tests.conftest import client_for
from tests.factories import UserFactory, member


@pytest.fixture
def family_at_a(school_a):
    """A child at school A, their parent (linked by A) who follows them there."""
    child = member(school_a, Role.STUDENT)
    parent = member(school_a, Role.GUARDIAN)
    link = guardian_link_create(actor=None, guardian=parent, child=child)
    return child, parent, link


def _actions(establishment, child) -> list[str]:
    return sorted(
        AuditEntry.objects.filter(
            establishment_id=establishment.pk, action__startswith="membership.transfer_"
        ).values_list("action", flat=True)
    )


def test_another_school_cannot_take_over_a_family_through_the_api(school_a, school_b, family_at_a):
    child, parent, link = family_at_a
    stranger = UserFactory(login="inconnu.total")
    api_b = client_for(member(school_b, Role.ESTABLISHMENT_ADMIN), school_b, api=True)

    # B enrols A's student by their login: only a request, nothing is B's yet.
    enrolled = api_b.post("/api/v1/memberships/", {"person": child.login, "role": "student"}, format="json")
    assert enrolled.status_code == 201, enrolled.content
    assert enrolled.json()["status"] == "pending"
    pending_id = enrolled.json()["id"]

    # Nothing of the family is B's to read or change.
    listed = api_b.get("/api/v1/memberships/guardian-links/", {"child_id": child.pk}).json()
    assert listed["count"] == 0
    for response in (
        api_b.post(
            "/api/v1/memberships/guardian-links/",
            {"guardian": stranger.login, "child_id": child.pk},
            format="json",
        ),
        api_b.patch(f"/api/v1/memberships/guardian-links/{link.pk}/", {"can_act": False}, format="json"),
        api_b.delete(f"/api/v1/memberships/guardian-links/{link.pk}/"),
    ):
        assert response.status_code == 404, response.content
    assert client_for(child, school_b).get("/").status_code == 403  # no access at B either

    # B gives up: the pending enrolment ends; the family at A is as it was.
    assert api_b.post(f"/api/v1/memberships/{pending_id}/end/").status_code == 200
    assert list(GuardianLink.objects.filter(child=child).values_list("guardian_id", "can_act")) == [
        (parent.pk, True)
    ]
    assert not GuardianLink.objects.filter(guardian=stranger).exists()
    assert client_for(parent, school_a).get(f"/children/{child.pk}/").status_code == 200
    assert Membership.objects.get(user=child, establishment=school_a).status == MembershipStatus.ACTIVE
    # A's log shows what B tried, as B's does.
    assert _actions(school_a, child) == ["membership.transfer_cancelled", "membership.transfer_requested"]
    assert _actions(school_b, child) == ["membership.transfer_cancelled", "membership.transfer_requested"]


def test_the_school_a_student_leaves_releases_them_and_the_new_one_then_manages_the_links(
    school_a, school_b, family_at_a
):
    child, parent, link = family_at_a
    with schema_context(school_b.schema_name):
        school_class_ensure(name="2de 7", level="2de")
    api_a = client_for(member(school_a, Role.HEAD), school_a, api=True)
    api_b = client_for(member(school_b, Role.ESTABLISHMENT_ADMIN), school_b, api=True)
    asked = api_b.post(
        "/api/v1/memberships/",
        {"person": child.login, "role": "student", "class_name": "2de 7"},
        format="json",
    )
    assert asked.json()["status"] == "pending" and asked.json()["class_name"] == "2de 7"

    incoming = api_a.get("/api/v1/memberships/transfers/").json()["incoming"]
    assert [(t["person_id"], t["to_uai"]) for t in incoming] == [(child.pk, school_b.uai)]
    assert api_b.get("/api/v1/memberships/transfers/").json()["outgoing"][0]["person_id"] == child.pk
    # B cannot decide its own request; A can.
    assert api_b.post(f"/api/v1/memberships/transfers/{incoming[0]['id']}/accept/").status_code == 404
    accepted = api_a.post(f"/api/v1/memberships/transfers/{incoming[0]['id']}/accept/")
    assert accepted.status_code == 200 and accepted.json()["outcome"] == "accepted"

    history = dict(
        Membership.objects.filter(user=child, role=Role.STUDENT).values_list("establishment_id", "status")
    )
    assert history == {school_a.pk: "departed", school_b.pk: "active"}
    assert api_b.get(f"/api/v1/memberships/{asked.json()['id']}/").json()["class_name"] == "2de 7"
    # The family comes along; the child now studies at B only, so B manages their links.
    assert (
        client_for(parent, school_b).get(f"/children/{child.pk}/").status_code == 403
    )  # not yet a guardian at B
    changed = api_b.patch(f"/api/v1/memberships/guardian-links/{link.pk}/", {"can_act": False}, format="json")
    assert changed.status_code == 200
    assert _actions(school_a, child) == ["membership.transfer_accepted", "membership.transfer_requested"]
    assert _actions(school_b, child) == ["membership.transfer_accepted", "membership.transfer_requested"]


def test_the_school_a_student_studies_in_may_refuse_and_a_region_operator_may_decide(
    school_a, school_b, family_at_a
):
    child, _parent, _link = family_at_a
    admin_b = member(school_b, Role.ESTABLISHMENT_ADMIN)
    api_b = client_for(admin_b, school_b, api=True)
    web_a = client_for(member(school_a, Role.ESTABLISHMENT_ADMIN), school_a)
    api_b.post("/api/v1/memberships/", {"person": child.login, "role": "student"}, format="json")
    transfer = EnrolmentTransfer.objects.get(membership__user=child)

    page = web_a.get("/members/transfers/")
    assert page.status_code == 200 and child.display_name in page.content.decode()
    assert web_a.post(f"/members/transfers/{transfer.pk}/refuse/").status_code == 302
    assert Membership.objects.get(user=child, establishment=school_b).status == MembershipStatus.DEPARTED
    assert Membership.objects.get(user=child, establishment=school_a).status == MembershipStatus.ACTIVE

    # Asked again; A does not answer: the region decides.
    api_b.post("/api/v1/memberships/", {"person": child.login, "role": "student"}, format="json")
    again = EnrolmentTransfer.objects.get(membership__user=child, outcome="")
    with pytest.raises(PermissionDenied):
        establishment_transfer_accept(actor=admin_b, establishment=None, transfer=again)
    operator = UserFactory()
    RegionRoleAssignment.objects.create(user=operator, role=RegionRole.REGION_OPERATOR)
    establishment_transfer_accept(actor=operator, establishment=None, transfer=again)
    assert Membership.objects.get(user=child, establishment=school_b).status == MembershipStatus.ACTIVE
    assert Membership.objects.get(user=child, establishment=school_a).status == MembershipStatus.DEPARTED


def test_a_child_enrolled_in_two_schools_has_links_no_single_school_may_change(
    school_a, school_b, family_at_a
):
    child, _parent, link = family_at_a
    membership_grant(actor=None, user=child, establishment=school_b, role=Role.STUDENT)  # an import, say
    api_a = client_for(member(school_a, Role.ESTABLISHMENT_ADMIN), school_a, api=True)
    refused = api_a.delete(f"/api/v1/memberships/guardian-links/{link.pk}/")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "child_enrolled_elsewhere"
    assert GuardianLink.objects.filter(pk=link.pk).exists()


def test_a_school_finds_and_enrols_none_of_the_regions_agents(school_a):
    agent = UserFactory(login="agent.support", email="agent@region.example")
    RegionRoleAssignment.objects.create(user=agent, role=RegionRole.SUPPORT)
    api_a = client_for(member(school_a, Role.ESTABLISHMENT_ADMIN), school_a, api=True)
    for identifier in ("agent.support", "agent@region.example"):
        found = api_a.get("/api/v1/memberships/people/lookup/", {"identifier": identifier})
        assert found.status_code == 404 and "agent@region.example" not in found.content.decode()
    granted = api_a.post(
        "/api/v1/memberships/", {"person": "agent.support", "role": "teacher"}, format="json"
    )
    assert granted.status_code == 400
    assert not Membership.objects.filter(user=agent).exists()
