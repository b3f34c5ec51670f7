"""The daily digest: one e-mail per person grouping the events of two establishments."""

from __future__ import annotations

import datetime
import zoneinfo

from django_tenants.utils import schema_context

from shared_apps.identity.roles import Role
from shared_apps.identity.services import membership_grant
from tenant_apps.notifications.digest import digest_run
from tenant_apps.notifications.models import Delivery, DeliveryStatus
from tests.notifications.helpers import deliver, person, tell

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
DAY = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=PARIS)
EVENING = datetime.datetime(2026, 3, 10, 17, 30, tzinfo=PARIS)


def test_the_digest_groups_the_events_of_two_establishments_into_one_email(school_a, school_b, smtp):
    parent = person(school_a, Role.GUARDIAN)
    membership_grant(actor=None, user=parent, establishment=school_b, role=Role.GUARDIAN)
    deliver(school_a, tell(school_a, [parent.pk], type_="lesson_change", title="Léa: French moved"), now=DAY)
    deliver(school_b, tell(school_b, [parent.pk], type_="homework", title="Tom: essay for Monday"), now=DAY)
    assert smtp.messages() == []  # families take the digest
    assert digest_run(establishments=[school_a, school_b], now=EVENING) == 1
    [mail] = smtp.messages()
    assert mail.to == parent.email
    for text in ("Collège Alpha", "Lycée Bêta", "Léa: French moved", "Tom: essay for Monday"):
        assert text in mail.text
    assert digest_run(establishments=[school_a, school_b], now=EVENING) == 0  # once a day, once
    for school in (school_a, school_b):
        with schema_context(school.schema_name):
            assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_a_person_in_their_quiet_hours_gets_the_digest_next_time(school_a, smtp):
    parent = person(school_a, Role.GUARDIAN, quiet_start=datetime.time(17, 0), quiet_end=datetime.time(7, 0))
    deliver(school_a, tell(school_a, [parent.pk], type_="homework"), now=DAY)
    assert digest_run(establishments=[school_a], now=EVENING) == 0
    assert digest_run(establishments=[school_a], now=EVENING + datetime.timedelta(hours=15)) == 1
    assert len(smtp.messages()) == 1
