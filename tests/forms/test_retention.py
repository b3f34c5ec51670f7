"""Answers are personal data, kept for the period the form sets after its deadline: the daily
retention run (shared_apps/privacy/retention.py) purges them then, under a frozen clock, and the
purge is audited (the run's entry per rule, and one per form)."""

from __future__ import annotations

import datetime

import time_machine
from django_tenants.utils import tenant_context

from shared_apps.audit.models import AuditEntry
from shared_apps.privacy.retention import retention_purge
from tenant_apps.forms import services
from tenant_apps.forms.models import Answer, Form
from tests.forms.helpers import DEADLINE, answer_of, trip_form
from tests.timetable.helpers import School


def test_answers_are_purged_after_the_retention_period(school: School):
    form = trip_form(school, retention_days=30)
    with tenant_context(school.establishment):
        services.answer_save(
            actor=school.guardian,
            form=form,
            child=school.m(school.students[0]),
            given=answer_of(form),
            submit=True,
        )
    before = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with time_machine.travel(DEADLINE + datetime.timedelta(days=29), tick=False):
        retention_purge()
    with tenant_context(school.establishment):
        assert Answer.objects.filter(form=form).count() == 1
    with time_machine.travel(DEADLINE + datetime.timedelta(days=31), tick=False):
        counts = retention_purge()
    assert counts[f"forms.answers@{school.establishment.uai}"] == 1
    with tenant_context(school.establishment):
        assert not Answer.objects.filter(form=form).exists()
        assert Form.objects.get(pk=form.pk).purged_at is not None
    entries = AuditEntry.objects.filter(pk__gt=before)
    purged = entries.get(action="forms.answers_purged")
    assert (
        purged.details == {"answers": 1, "retention_days": 30}
        and purged.establishment_id == school.establishment.pk
    )
    assert entries.filter(action="privacy.purged", details__rule="forms.answers").count() == 1
    # Run again: nothing more, nothing audited twice.
    with time_machine.travel(DEADLINE + datetime.timedelta(days=32), tick=False):
        assert retention_purge()[f"forms.answers@{school.establishment.uai}"] == 0
