"""Delivery by e-mail through a real SMTP server: channels per preferences, once only, bounces,
quiet hours (frozen clock)."""

from __future__ import annotations

import datetime
import zoneinfo

import time_machine
from django_tenants.utils import schema_context

from shared_apps.notifications.models import MailBounce
from shared_apps.notifications.types import EmailMode
from tenant_apps.notifications.delivery import deliveries_send_due
from tenant_apps.notifications.models import Delivery, DeliveryStatus, NotificationRecipient
from tests.notifications.conftest import REFUSED
from tests.notifications.helpers import deliver, person, tell

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NOON = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=PARIS)


def test_an_event_is_kept_in_the_establishment_schema_for_each_recipient(school_a, school_b):
    teacher = person(school_a, "teacher")
    notified = tell(school_a, [teacher.pk, teacher.pk], type_="lesson_change")
    assert notified.recipients == 1
    with schema_context(school_a.schema_name):
        assert NotificationRecipient.objects.filter(user_id=teacher.pk).count() == 1
    with schema_context(school_b.schema_name):
        assert not NotificationRecipient.objects.filter(user_id=teacher.pk).exists()


def test_staff_get_one_email_at_once_in_their_language_with_links(school_a, smtp):
    teacher = person(school_a, "teacher")
    teacher.language = "fr"
    teacher.save()
    with time_machine.travel(NOON, tick=False):
        sent = deliver(school_a, tell(school_a, [teacher.pk], type_="lesson_change"), now=NOON)
    assert sent == 1
    [mail] = smtp.messages()
    assert mail.to == teacher.email
    assert school_a.name in mail.subject
    assert "http://alpha.localhost/attendance/family/" in mail.text
    assert "/notifications/preferences/" in mail.text
    assert "Bonjour" in mail.text
    assert 'href="http://alpha.localhost/attendance/family/"' in mail.html
    assert "List-Unsubscribe" in mail.headers


def test_an_event_is_delivered_once_when_its_task_runs_twice(school_a, smtp):
    teacher = person(school_a, "teacher")
    notified = tell(school_a, [teacher.pk], type_="lesson_change")
    assert deliver(school_a, notified, now=NOON) == 1
    assert deliver(school_a, notified, now=NOON) == 0
    with schema_context(school_a.schema_name):
        assert deliveries_send_due(now=NOON) == 0
    assert len(smtp.messages()) == 1


def test_a_refused_address_is_recorded_without_blocking_the_others(school_a, smtp):
    bad = person(school_a, "teacher", email=REFUSED)
    good = person(school_a, "teacher")
    assert deliver(school_a, tell(school_a, [bad.pk, good.pk], type_="lesson_change"), now=NOON) == 1
    assert [m.to for m in smtp.messages()] == [good.email]
    assert MailBounce.objects.filter(email=REFUSED).exists()
    with schema_context(school_a.schema_name):
        statuses = dict(Delivery.objects.values_list("recipient__user_id", "status"))
    assert statuses == {bad.pk: DeliveryStatus.BOUNCED, good.pk: DeliveryStatus.SENT}
    # A bounced address is not written to again (until it changes).
    assert deliver(school_a, tell(school_a, [bad.pk], type_="lesson_change"), now=NOON) == 0


def test_smtp_down_puts_the_batch_back_for_the_retry(school_a, smtp, settings):
    teacher = person(school_a, "teacher")
    notified = tell(school_a, [teacher.pk], type_="lesson_change")
    settings.EMAIL_PORT = 1  # nothing listens there
    try:
        deliver(school_a, notified, now=NOON)
    except OSError:
        pass
    else:
        raise AssertionError("the task must fail, to be retried")
    with schema_context(school_a.schema_name):
        delivery = Delivery.objects.get(recipient__user_id=teacher.pk)
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    settings.EMAIL_PORT = smtp.port
    with schema_context(school_a.schema_name):
        assert deliveries_send_due(now=NOON) == 1
    assert len(smtp.messages()) == 1


def test_quiet_hours_hold_a_message_until_seven(school_a, smtp):
    teacher = person(school_a, "teacher")
    evening = datetime.datetime(2026, 3, 10, 21, 30, tzinfo=PARIS)
    with time_machine.travel(evening, tick=False):
        notified = tell(school_a, [teacher.pk], type_="lesson_change")
        assert deliver(school_a, notified) == 0
        with schema_context(school_a.schema_name):
            held = Delivery.objects.get(recipient__user_id=teacher.pk)
        assert held.not_before == datetime.datetime(2026, 3, 11, 7, 0, tzinfo=PARIS)
    with (
        time_machine.travel(datetime.datetime(2026, 3, 11, 6, 59, tzinfo=PARIS), tick=False),
        schema_context(school_a.schema_name),
    ):
        assert deliveries_send_due() == 0
    with (
        time_machine.travel(datetime.datetime(2026, 3, 11, 7, 0, tzinfo=PARIS), tick=False),
        schema_context(school_a.schema_name),
    ):
        assert deliveries_send_due() == 1
    assert len(smtp.messages()) == 1


def test_a_person_sets_their_own_quiet_hours(school_a, smtp):
    teacher = person(school_a, "teacher", quiet_start=datetime.time(12, 0), quiet_end=datetime.time(13, 0))
    with time_machine.travel(NOON, tick=False):
        assert deliver(school_a, tell(school_a, [teacher.pk], type_="lesson_change")) == 0
    assert smtp.messages() == []


def test_families_take_the_digest_unless_urgent_and_staff_may_choose_it(school_a, smtp):
    guardian = person(school_a, "guardian")
    teacher = person(school_a, "teacher", email_mode=EmailMode.DIGEST)
    assert deliver(school_a, tell(school_a, [guardian.pk, teacher.pk], type_="lesson_change"), now=NOON) == 0
    # Same-day absences are urgent by default: at once, even for families.
    assert deliver(school_a, tell(school_a, [guardian.pk], type_="absence"), now=NOON) == 1
    assert [m.to for m in smtp.messages()] == [guardian.email]


def test_a_guardian_who_turned_absence_emails_off_gets_none(school_a, smtp):
    guardian = person(school_a, "guardian", channels={"absence": {"email": False}})
    assert deliver(school_a, tell(school_a, [guardian.pk], type_="absence"), now=NOON) == 0
    assert smtp.messages() == []
    with schema_context(school_a.schema_name):  # still in the centre
        assert NotificationRecipient.objects.filter(user_id=guardian.pk).exists()
