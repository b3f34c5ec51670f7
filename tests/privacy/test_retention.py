"""The daily retention purge, with a frozen clock (issue 13, privacy): what has passed its period
goes, what has not stays, and each rule that removed something leaves an audit entry."""

from __future__ import annotations

import datetime
import os

import time_machine
from django.core.files.base import ContentFile
from django.utils import timezone
from django_tenants.utils import schema_context

from shared_apps.audit.models import AuditEntry
from shared_apps.identity.auth_models import UserSession
from shared_apps.identity.models import Membership, MembershipStatus, User
from shared_apps.identity.roles import Role
from shared_apps.identity.services import membership_end
from shared_apps.privacy.retention import retention_purge
from shared_apps.support.models import SupportRequest, SupportRequestStatus
from tenant_apps.school.models import Member
from tests.factories import member

PARIS = datetime.timezone(datetime.timedelta(hours=1))


def _leave(user: User, school) -> None:  # type: ignore[no-untyped-def]
    for m in Membership.objects.filter(user=user, status=MembershipStatus.ACTIVE):
        membership_end(actor=None, user=user, establishment=school, role=m.role)


def test_accounts_of_people_who_left_go_after_their_period_and_their_names_with_them(school_a):
    with time_machine.travel(datetime.datetime(2026, 1, 10, 12, tzinfo=PARIS), tick=False):
        student = member(school_a, Role.STUDENT, last_name="Départ")
        teacher = member(school_a, Role.TEACHER, last_name="Mutation")
        staying = member(school_a, Role.STUDENT, last_name="Reste")
        _leave(student, school_a)
        _leave(teacher, school_a)

    with time_machine.travel(datetime.datetime(2026, 4, 1, 3, tzinfo=PARIS), tick=False):  # 81 days on
        retention_purge()
    assert User.objects.filter(pk=student.pk).exists()  # not yet 3 months

    with time_machine.travel(datetime.datetime(2026, 4, 15, 3, tzinfo=PARIS), tick=False):  # 95 days on
        counts = retention_purge()
    assert counts["identity.departed_accounts"] == 1
    assert not User.objects.filter(pk=student.pk).exists()
    assert User.objects.filter(pk=teacher.pk).exists()  # staff: one year
    assert User.objects.filter(pk=staying.pk).exists()
    with schema_context(school_a.schema_name):
        row = Member.objects.get(user_id=student.pk)
        assert row.display_name == "—" and not row.is_active
    [entry] = AuditEntry.objects.filter(action="privacy.purged", details__rule="identity.departed_accounts")
    assert entry.details["count"] == 1

    with time_machine.travel(datetime.datetime(2027, 1, 20, 3, tzinfo=PARIS), tick=False):
        retention_purge()
    assert not User.objects.filter(pk=teacher.pk).exists()


def test_ended_sessions_and_support_screenshots_go_after_their_period(school_a):
    person = member(school_a, Role.GUARDIAN)
    with time_machine.travel(datetime.datetime(2026, 1, 10, 12, tzinfo=PARIS), tick=False):
        old = UserSession.objects.create(
            user=person, session_key_hash="a" * 64, last_seen_at=timezone.now(), ended_at=timezone.now()
        )
        recent_request = SupportRequest.objects.create(requester=person, subject="Écran", description="x")
        recent_request.screenshot.save("shot.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
        stored = recent_request.screenshot.path
        SupportRequest.objects.filter(pk=recent_request.pk).update(
            status=SupportRequestStatus.RESOLVED, resolved_at=timezone.now()
        )
    with time_machine.travel(datetime.datetime(2026, 1, 25, 12, tzinfo=PARIS), tick=False):
        fresh = UserSession.objects.create(
            user=person, session_key_hash="b" * 64, last_seen_at=timezone.now(), ended_at=timezone.now()
        )
        retention_purge()
        assert SupportRequest.objects.get(pk=recent_request.pk).screenshot  # 15 days: kept
    with time_machine.travel(datetime.datetime(2026, 4, 20, 12, tzinfo=PARIS), tick=False):
        counts = retention_purge()
    assert not UserSession.objects.filter(pk=old.pk).exists()
    assert UserSession.objects.filter(pk=fresh.pk).exists()
    assert not SupportRequest.objects.get(pk=recent_request.pk).screenshot
    assert not os.path.exists(stored)
    assert counts["support.requests"] == 1 and counts["identity.sign_in"] >= 1
    assert AuditEntry.objects.filter(action="privacy.purged", details__rule="support.requests").exists()
