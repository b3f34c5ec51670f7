"""New messages and the homework due tomorrow go through the notification service (its centre
entries; delivery, quiet hours and the digest are the service's): once each, to the right people."""

from __future__ import annotations

import datetime

from django_tenants.utils import schema_context

from shared_apps.identity.roles import Role
from tenant_apps.homework import services as homework_services
from tenant_apps.homework.notices import homework_due_tomorrow_notify
from tenant_apps.messaging import services
from tenant_apps.notifications.models import Notification, NotificationRecipient
from tests.homework.conftest import MONDAY, NEXT_MONDAY
from tests.messaging.conftest import People, start


def test_a_new_message_notifies_the_other_participants(people: People):
    teacher, guardian, student = (
        people.by_role[Role.TEACHER],
        people.by_role[Role.GUARDIAN],
        people.by_role[Role.STUDENT],
    )
    thread = start(people, teacher, [guardian, student], private=True, body="Texte confidentiel")
    with schema_context(people.school.establishment.schema_name):
        (notification,) = Notification.objects.filter(type="message")
        assert set(notification.recipients.values_list("user_id", flat=True)) == {guardian.pk, student.pk}
        assert notification.link == f"/messages/{thread.pk}/"
        assert "confidentiel" not in str(notification.title) + str(notification.body)
        services.message_reply(actor=guardian, thread=thread, body="Merci")
        latest = Notification.objects.filter(type="message").order_by("-pk").first()
        assert set(latest.recipients.values_list("user_id", flat=True)) == {teacher.pk, student.pk}


def test_homework_due_tomorrow_is_notified_once_to_students_not_done_and_guardians(people: People):
    school = people.school
    with schema_context(school.establishment.schema_name):
        lesson = school.extra.get("lesson") or school.lesson(
            weekday=0, start_time=datetime.time(14), end_time=datetime.time(15)
        )
        homework = homework_services.homework_set(
            actor=school.teacher, lesson=lesson, date=MONDAY, instructions="Exercices", due_on=NEXT_MONDAY
        )
        homework_services.homework_done_set(actor=school.students[1], homework=homework, done=True)
        day_before = NEXT_MONDAY - datetime.timedelta(days=1)
        assert homework_due_tomorrow_notify(today=day_before) == 2
        assert homework_due_tomorrow_notify(today=day_before) == 0  # idempotent
        guardians, students = Notification.objects.filter(type="homework").order_by("source")
        assert set(
            NotificationRecipient.objects.filter(notification=students).values_list("user_id", flat=True)
        ) == {
            school.students[0].pk,
            school.students[2].pk,
        }
        assert list(guardians.recipients.values_list("user_id", flat=True)) == [school.guardian.pk]
