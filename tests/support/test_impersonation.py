"""Impersonation: read-only by default, time-limited, never of a higher account, never on the
account's security pages or exports, and every step audited once."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from mbn_platform.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from shared_apps.audit.models import AuditEntry
from shared_apps.identity.roles import RegionRole, Role
from shared_apps.support.impersonation import SESSION_KEY, impersonation_write_approve
from shared_apps.support.models import Impersonation, ImpersonationEnd
from shared_apps.support.rules import ImpersonationRefused
from tests.conftest import client_for
from tests.factories import UserFactory, member
from tests.identity.helpers import with_authenticator
from tests.support.helpers import (
    REASON,
    entries,
    error_code,
    impersonating_client,
    operator,
    start,
    support_agent,
    text,
    with_region_role,
)


@pytest.fixture
def agent(db):
    return support_agent(first_name="Agathe", last_name="Support")


@pytest.fixture
def student(school_a):
    return member(school_a, Role.STUDENT, first_name="Zoé", last_name="Martin", email="zoe@example.org")


def test_the_agent_sees_the_school_as_the_person_with_a_banner_and_each_request_is_audited(
    agent, student, school_a
):
    impersonation = start(agent, student, school_a)
    client = impersonating_client(agent, impersonation)

    page = client.get("/")

    assert page.status_code == 200
    body = text(page)
    assert "You are seeing MBN as Zoé Martin (Collège Alpha)" in body
    assert "30 minutes left" in body
    assert 'action="/support/impersonation/stop/"' in page.content.decode()
    assert page.wsgi_request.user == student  # the page is the person's
    [viewed] = entries("impersonation.request", target_id=str(impersonation.pk))
    assert viewed.actor_id == agent.pk and viewed.acting_as_id == student.pk
    assert viewed.establishment_id == school_a.pk
    assert viewed.details == {"method": "GET", "path": "/", "status": 200}


def test_a_write_is_refused_while_impersonating_read_only(agent, student, school_a):
    impersonation = start(agent, student, school_a)
    page = impersonating_client(agent, impersonation)
    api = impersonating_client(agent, impersonation, api=True)

    refused = page.post("/accounts/", {"email": "new@example.org", "language": "fr"})
    refused_api = api.post(
        "/api/v1/support/requests/", {"subject": "Hello", "description": "x"}, format="json"
    )

    assert refused.status_code == 403
    assert "Read-only impersonation: nothing can be changed." in text(refused)
    assert "You are seeing MBN as Zoé Martin" in text(refused)  # the banner stays
    assert refused_api.status_code == 403
    assert error_code(refused_api) == "impersonation_read_only"
    student.refresh_from_db()
    assert student.email == "zoe@example.org"
    attempts = entries("impersonation.request", target_id=str(impersonation.pk))
    assert [e.details.get("refused") for e in attempts] == ["impersonation_read_only"] * 2


@pytest.mark.parametrize(
    ("path", "api"),
    [
        ("/accounts/password/", False),
        ("/accounts/second-factor/setup/", False),
        ("/accounts/recovery-codes/", False),
        ("/accounts/sessions/", False),
        ("/accounts/impersonations/", False),
        ("/directory/letters/staff.pdf", False),
        ("/audit/export.csv", False),
        ("/support/impersonations/", False),
        ("/api/v1/account/profile/", True),
        ("/api/v1/account/sessions/", True),
        ("/api/v1/account/second-factor/", True),
    ],
)
def test_the_forbidden_pages_are_refused_even_to_read(agent, school_a, path, api):
    head = member(school_a, Role.HEAD)  # who could otherwise open every one of them
    with_authenticator(head)
    client = impersonating_client(agent, start(agent, head, school_a), api=api)

    response = client.get(path)

    assert response.status_code == 403
    if api:
        assert error_code(response) == "impersonation_forbidden_page"
    else:
        assert "cannot be opened while impersonating" in text(response)


def test_the_session_ends_at_its_time_limit(agent, student, school_a):
    started = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=started):
        impersonation = start(agent, student, school_a)
    client = impersonating_client(agent, impersonation)

    with mock.patch("django.utils.timezone.now", return_value=started + timedelta(minutes=29, seconds=59)):
        still = client.get("/")
    with mock.patch("django.utils.timezone.now", return_value=started + timedelta(minutes=30)):
        ended = client.get("/")
        after = client.get("/")

    assert still.status_code == 200 and "1 minute left" in text(still)
    assert ended.status_code == 403
    assert "The impersonation has ended" in text(ended)
    impersonation.refresh_from_db()
    assert impersonation.ended_reason == ImpersonationEnd.EXPIRED
    assert impersonation.ended_at == started + timedelta(minutes=30)
    assert after.status_code == 403 and "You are seeing MBN as" not in text(after)  # the agent again
    assert SESSION_KEY not in client.session
    assert len(entries("impersonation.expired", target_id=str(impersonation.pk))) == 1


def test_the_time_limit_is_a_setting(agent, student, school_a, settings):
    settings.IMPERSONATION_MINUTES = 5
    impersonation = start(agent, student, school_a)
    assert impersonation.expires_at - impersonation.started_at == timedelta(minutes=5)


def test_expired_impersonations_are_ended_by_the_periodic_sweep(agent, student, school_a):
    from shared_apps.support.tasks import impersonations_expire_task

    started = timezone.now() - timedelta(minutes=31)
    with mock.patch("django.utils.timezone.now", return_value=started):
        impersonation = start(agent, student, school_a)

    assert impersonations_expire_task.apply().get() == 1
    assert impersonations_expire_task.apply().get() == 0
    impersonation.refresh_from_db()
    assert impersonation.ended_reason == ImpersonationEnd.EXPIRED


def _teacher_with_region_role(school, role):
    user = member(school, Role.TEACHER)
    with_region_role_for(user, role)
    return user


@pytest.mark.parametrize(
    "make_target",
    [
        pytest.param(
            lambda s: _teacher_with_region_role(s, RegionRole.REGION_OPERATOR), id="region-operator"
        ),
        pytest.param(lambda s: _teacher_with_region_role(s, RegionRole.SUPPORT), id="another-support-agent"),
        pytest.param(lambda s: _teacher_with_region_role(s, RegionRole.FUNDER_VIEWER), id="funder-viewer"),
        pytest.param(lambda s: member(s, Role.TEACHER, is_staff=True), id="admin-site-user"),
        pytest.param(lambda s: UserFactory(), id="not-a-member"),
        pytest.param(lambda s: with_region_role(RegionRole.SUPPORT), id="support-agent-not-member"),
    ],
)
def test_refused_targets(agent, school_a, make_target):
    target = make_target(school_a)

    with pytest.raises(ImpersonationRefused) as refused:
        start(agent, target, school_a)

    assert refused.value.code == "impersonation_target_refused"
    assert not Impersonation.objects.filter(target=target).exists()
    assert len(entries("impersonation.refused", target_id=str(target.pk))) == 1


def test_an_agent_cannot_impersonate_themselves(agent, school_a):
    from shared_apps.identity.services import membership_grant

    membership_grant(actor=None, user=agent, establishment=school_a, role=Role.TEACHER)
    with pytest.raises(ImpersonationRefused):
        start(agent, agent, school_a)


def test_an_operator_who_is_also_a_teacher_cannot_be_impersonated_through_the_portal(agent, school_a):
    boss = member(school_a, Role.TEACHER, login="boss-teacher")
    with_region_role_for(boss, RegionRole.REGION_OPERATOR)
    portal = client_for(agent, None)

    response = portal.post(
        "/support/impersonate/", {"uai": school_a.uai, "login": "boss-teacher", "reason": REASON}
    )

    assert response.status_code == 403
    assert "cannot be impersonated" in text(response)
    assert not Impersonation.objects.exists()


def with_region_role_for(user, role):
    from shared_apps.identity.models import RegionRoleAssignment

    RegionRoleAssignment.objects.create(user=user, role=role)


def test_only_support_agents_may_start(student, school_a):
    for user in (operator(), member(school_a, Role.HEAD)):
        response = client_for(user, None).post(
            "/support/impersonate/", {"uai": school_a.uai, "login": student.login, "reason": REASON}
        )
        assert response.status_code == 403
        with pytest.raises(PermissionDenied):
            start(user, student, school_a)
    assert not Impersonation.objects.exists()


def test_a_written_reason_is_needed_without_a_support_request(agent, student, school_a):
    with pytest.raises(ValidationFailed) as short:
        start(agent, student, school_a, reason="help")
    assert "reason" in short.value.fields


def test_starting_from_the_portal_sends_the_agent_to_the_school_and_the_link_binds_the_session(
    agent, student, school_a
):
    portal = client_for(agent, None)

    started = portal.post(
        "/support/impersonate/", {"uai": school_a.uai, "login": student.login, "reason": REASON}
    )

    assert started.status_code == 302
    location = started["Location"]
    assert location.startswith("http://alpha.localhost/support/impersonation/enter/?token=")
    [impersonation] = Impersonation.objects.filter(agent=agent)
    assert len(entries("impersonation.start", target_id=str(impersonation.pk))) == 1
    # The demo's host-only cookies: another session of the agent, on the school's host.
    school = client_for(agent, school_a)
    entered = school.get(location.removeprefix("http://alpha.localhost"))
    assert entered.status_code == 302 and entered["Location"] == "/"
    assert "You are seeing MBN as Zoé Martin" in text(school.get("/"))
    # The link is the agent's only: someone else signed in there gets nothing from it.
    other = member(school_a, Role.TEACHER)
    stranger = client_for(other, school_a)
    assert "You are seeing MBN as" not in text(stranger.get(location.removeprefix("http://alpha.localhost")))


def test_the_link_asks_someone_signed_out_to_sign_in_first(agent, student, school_a):
    portal = client_for(agent, None)
    location = portal.post(
        "/support/impersonate/", {"uai": school_a.uai, "login": student.login, "reason": REASON}
    )["Location"]
    response = client_for(None, school_a).get(location.removeprefix("http://alpha.localhost"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=%2Fsupport%2Fimpersonation%2Fenter%2F")


def test_one_impersonation_at_a_time(agent, student, school_a):
    start(agent, student, school_a)
    other = member(school_a, Role.STUDENT)
    with pytest.raises(Conflict) as conflict:
        start(agent, other, school_a)
    assert conflict.value.code == "impersonation_active"


def test_stopping_ends_it_and_returns_to_the_portal(agent, student, school_a):
    impersonation = start(agent, student, school_a)
    client = impersonating_client(agent, impersonation)

    stopped = client.post("/support/impersonation/stop/")

    assert stopped.status_code == 302
    assert stopped["Location"] == "http://localhost/support/queue/"
    impersonation.refresh_from_db()
    assert impersonation.ended_reason == ImpersonationEnd.STOPPED
    assert len(entries("impersonation.stop", target_id=str(impersonation.pk))) == 1
    again = client.get("/")
    assert again.status_code == 403  # not a member: the agent is themselves again
    assert "You are seeing MBN as" not in text(again)
    assert len(entries("impersonation.stop")) == 1


def test_the_agent_can_stop_from_the_portal_too(agent, student, school_a):
    impersonation = start(agent, student, school_a)
    portal = client_for(agent, None)
    assert "Your impersonation in progress" in text(portal.get("/support/queue/"))

    response = portal.post(f"/support/impersonations/{impersonation.pk}/stop/")

    assert response.status_code == 302
    impersonation.refresh_from_db()
    assert impersonation.ended_at is not None
    another_agent = support_agent()
    other = start(another_agent, member(school_a, Role.STUDENT), school_a)
    assert portal.post(f"/support/impersonations/{other.pk}/stop/").status_code == 404


def test_signing_out_while_impersonating_ends_it(agent, student, school_a):
    impersonation = start(agent, student, school_a)
    client = impersonating_client(agent, impersonation)

    client.post("/accounts/logout/")

    impersonation.refresh_from_db()
    assert impersonation.ended_reason == ImpersonationEnd.SIGNED_OUT
    [signed_out] = entries("auth.sign_out", actor=agent)
    assert signed_out.acting_as_id is None


def test_writes_need_a_second_agents_approval(agent, student, school_a):
    impersonation = start(agent, student, school_a)
    client = impersonating_client(agent, impersonation)
    with pytest.raises(PermissionDenied) as own:
        impersonation_write_approve(actor=agent, impersonation=impersonation, reason=REASON)
    assert own.value.code == "impersonation_self_approval"

    colleague = support_agent(first_name="Bruno")
    approval = client_for(colleague, None).post(
        f"/support/impersonations/{impersonation.pk}/approve-write/", {"reason": "Her profile must be fixed."}
    )
    assert approval.status_code == 302
    impersonation.refresh_from_db()
    assert impersonation.write_approved_by == colleague
    assert impersonation.write_approval_reason == "Her profile must be fixed."
    assert len(entries("impersonation.write_approved", target_id=str(impersonation.pk))) == 1

    # An approved write: the profile's language (identity fields stay locked: test_identity_locks.py).
    saved = client.post("/accounts/", {"email": "zoe@example.org", "language": "en"})

    assert saved.status_code == 302
    student.refresh_from_db()
    assert student.language == "en"
    # What the service records names the agent, acting as the person.
    [updated] = entries("account.profile_updated", target_id=str(student.pk))
    assert (updated.actor_id, updated.acting_as_id) == (agent.pk, student.pk)
    # Forbidden pages stay forbidden.
    assert client.post("/accounts/password/", {}).status_code == 403


def test_the_agents_second_factor_counts_not_the_persons(agent, school_a):
    teacher = member(school_a, Role.TEACHER)
    with_authenticator(teacher)  # would need a code of their own
    impersonation = start(agent, teacher, school_a)

    assert impersonating_client(agent, impersonation).get("/").status_code == 200
    unverified = impersonating_client(agent, impersonation, second_factor=False).get("/")
    assert "You are seeing MBN as" not in text(unverified)


def test_the_impersonation_applies_on_its_establishments_host_only(agent, student, school_a, school_b):
    impersonation = start(agent, student, school_a)
    client = impersonating_client(agent, impersonation)
    client.defaults["HTTP_HOST"] = "beta.localhost"

    response = client.get("/")

    assert response.status_code == 403  # the agent is themselves there: not a member
    assert "You are seeing MBN as" not in text(response)
    assert AuditEntry.objects.filter(action="impersonation.request").count() == 0


def test_someone_given_a_region_role_during_the_impersonation_is_left_at_once(agent, student, school_a):
    impersonation = start(agent, student, school_a)
    client = impersonating_client(agent, impersonation)
    with_region_role_for(student, RegionRole.REGION_OPERATOR)

    response = client.get("/")

    assert response.status_code == 403 and "The impersonation has ended" in text(response)
    impersonation.refresh_from_db()
    assert impersonation.ended_reason == ImpersonationEnd.TARGET_UNAVAILABLE
