"""Every sender goes through the notification service and honours each person's preferences
(e-mail turned off for the type: no e-mail, still in the centre); account security always goes."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import RequestFactory
from django_tenants.utils import schema_context

from shared_apps.identity.auth_services import password_reset_request
from shared_apps.identity.roles import Role
from shared_apps.notifications.models import NotificationSettings
from shared_apps.notifications.types import EmailMode
from shared_apps.support.notifications import support_reply_notification_send
from shared_apps.support.services import support_reply_add, support_request_create
from tenant_apps.notifications.models import NotificationRecipient
from tenant_apps.timetable.models import LessonChange
from tenant_apps.timetable.notifications import (
    lesson_change_notification_send,
    lesson_change_undone_notification_send,
)
from tests.attendance.test_absences import take
from tests.factories import member
from tests.support.test_support_requests import support_agent
from tests.timetable.helpers import WEEK_A, School, make_school


@pytest.fixture(autouse=True)
def _any_hour(settings) -> None:
    settings.NOTIFICATIONS_QUIET_HOURS = ("00:00", "00:00")  # these tests are not about the hour


@pytest.fixture
def school(school_a) -> School:
    return make_school(school_a)


def _choose(user, type_: str, email: bool) -> None:
    NotificationSettings.objects.update_or_create(
        user=user, defaults={"channels": {type_: {"email": email}}, "email_mode": EmailMode.IMMEDIATE}
    )


def _emailed() -> set[str]:
    return {address for message in mail.outbox for address in message.to}


def _in_centre(school: School, user) -> bool:
    with schema_context(school.establishment.schema_name):
        return NotificationRecipient.objects.filter(user_id=user.pk).exists()


def test_absence_notices_honour_the_guardians_choice(school, monkeypatch, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from tenant_apps.attendance.tasks import absence_notices_send_task

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: WEEK_A)
    monkeypatch.setattr(
        absence_notices_send_task,
        "apply_async",
        lambda args, **o: _in(school, lambda: absence_notices_send_task.apply(args)),
    )
    _choose(school.guardian, "absence", False)
    with django_capture_on_commit_callbacks(execute=True):
        take(school, school.lesson(), {school.students[0]: "absent"})
    assert "guardian@example.org" not in _emailed()
    assert _in_centre(school, school.guardian)


def _in(school: School, run):
    with schema_context(school.establishment.schema_name):
        return run()


@pytest.mark.parametrize("email", [True, False])
def test_lesson_changes_and_their_undoing_honour_each_persons_choice(
    school, email, django_capture_on_commit_callbacks
):
    _choose(school.guardian, "lesson_change", email)
    _choose(school.teacher, "lesson_change", not email)
    lesson = school.lesson()
    with schema_context(school.establishment.schema_name), django_capture_on_commit_callbacks(execute=True):
        change = LessonChange.objects.create(lesson=lesson, date=WEEK_A, cancelled=True)
        assert lesson_change_notification_send(change_id=change.pk) > 0
    wanted, unwanted = ("guardian", "teacher") if email else ("teacher", "guardian")
    assert f"{wanted}@example.org" in _emailed() and f"{unwanted}@example.org" not in _emailed()
    mail.outbox.clear()
    with schema_context(school.establishment.schema_name), django_capture_on_commit_callbacks(execute=True):
        LessonChange.objects.filter(pk=change.pk).delete()
        assert lesson_change_undone_notification_send(lesson_id=lesson.pk, day=WEEK_A) > 0
    assert f"{wanted}@example.org" in _emailed() and f"{unwanted}@example.org" not in _emailed()


def test_teacher_absence_notices_honour_the_choice(school, django_capture_on_commit_callbacks):
    from tenant_apps.timetable.services.substitutions import teacher_absence_record
    from tenant_apps.timetable.substitution_notices import teacher_absence_notification_send

    _choose(school.guardian, "lesson_change", False)
    _choose(school.other_teacher, "lesson_change", True)
    school.lesson()
    with schema_context(school.establishment.schema_name), django_capture_on_commit_callbacks(execute=True):
        absence = teacher_absence_record(
            actor=None, teacher=school.m(school.teacher), start=WEEK_A, end=WEEK_A
        )
        assert teacher_absence_notification_send(absence_id=absence.pk) > 0
    assert "guardian@example.org" not in _emailed() and "teacher@example.org" in _emailed()
    assert _in_centre(school, school.guardian)


@pytest.mark.parametrize("email", [True, False])
def test_support_replies_honour_the_choice(school_a, email, django_capture_on_commit_callbacks):
    requester = member(school_a, Role.GUARDIAN, email="asker@example.org")
    _choose(requester, "support", email)
    agent = support_agent()
    with django_capture_on_commit_callbacks(execute=True):
        request = support_request_create(
            actor=requester,
            establishment=school_a,
            subject="Code refusé",
            description="Mon code ne marche pas",
        )
        reply = support_reply_add(actor=agent, support_request=request, body="Essayez à nouveau.")
        support_reply_notification_send(reply_id=reply.pk)
    assert ("asker@example.org" in _emailed()) is email
    with schema_context(school_a.schema_name):
        assert NotificationRecipient.objects.filter(
            user_id=requester.pk, notification__type="support"
        ).exists()


def test_the_first_admins_invitation_honours_the_choice(school_a, django_capture_on_commit_callbacks):
    from tenants.provisioning.invitations import first_admin_invite

    admin = member(school_a, Role.TEACHER, email="future.admin@example.org")
    _choose(admin, "administration", False)

    class Job:
        created_by = None

    with django_capture_on_commit_callbacks(execute=True):
        first_admin_invite(job=Job(), establishment=school_a, email="future.admin@example.org")  # type: ignore[arg-type]
    assert "future.admin@example.org" not in _emailed()
    with schema_context(school_a.schema_name):
        assert NotificationRecipient.objects.filter(
            user_id=admin.pk, notification__type="administration"
        ).exists()


def test_account_security_is_emailed_whatever_the_preferences(school_a):
    person = member(school_a, Role.GUARDIAN, email="locked.out@example.org")
    NotificationSettings.objects.create(
        user=person,
        channels={t: {"email": False, "sms": False} for t in ("absence", "support", "administration")},
    )
    request = RequestFactory().post("/accounts/password-reset/", HTTP_HOST="alpha.localhost")
    request.tenant = school_a  # type: ignore[attr-defined]
    password_reset_request(request=request, email="locked.out@example.org")
    [sent] = mail.outbox
    assert sent.to == ["locked.out@example.org"] and "/accounts/" in sent.body
    with schema_context(school_a.schema_name):  # never kept: the link is a secret
        assert not NotificationRecipient.objects.filter(user_id=person.pk).exists()
