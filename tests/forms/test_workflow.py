"""A form's life: built by a manager, published (the guardians are told), a guardian saves a
draft then submits (every required answer; once; before the deadline), managers follow the
completion per class; the audit names the form and the child, never the answers."""

from __future__ import annotations

import datetime

import pytest
from django_tenants.utils import tenant_context

from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from shared_apps.audit.models import AuditEntry
from tenant_apps.forms import notices, selectors, services
from tenant_apps.forms.models import AnswerStatus
from tenant_apps.notifications.models import Notification
from tests.forms.helpers import DEADLINE, answer_of, trip_form
from tests.timetable.helpers import School


def test_a_guardian_fills_a_form_for_their_child(school: School):
    before = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    form = trip_form(school)
    with tenant_context(school.establishment):
        told = Notification.objects.filter(type="form", recipients__user_id=school.guardian.pk)
        assert told.count() == 1 and told.get().link == f"/forms/{form.pk}/"
        child = school.m(school.students[0])
        draft = services.answer_save(
            actor=school.guardian,
            form=form,
            child=child,
            given=answer_of(form, ack=False, meal=""),
            submit=False,
        )
        assert draft.status == AnswerStatus.DRAFT
        with pytest.raises(ValidationFailed) as missing:
            services.answer_save(
                actor=school.guardian,
                form=form,
                child=child,
                given=answer_of(form, ack=False, meal=""),
                submit=True,
            )
        assert set(missing.value.fields) == {f"q{q.pk}" for q in list(form.questions.all())[:2]}
        with pytest.raises(ValidationFailed) as bad:
            services.answer_save(
                actor=school.guardian,
                form=form,
                child=child,
                given=answer_of(form, meal="Fondue"),
                submit=True,
            )
        assert list(bad.value.fields) == [f"q{form.questions.all()[1].pk}"]
        done = services.answer_save(
            actor=school.guardian,
            form=form,
            child=child,
            given=answer_of(form, remark="Allergie"),
            submit=True,
        )
        assert (
            done.status == AnswerStatus.SUBMITTED
            and done.values[str(form.questions.all()[2].pk)] == "Allergie"
        )
        with pytest.raises(Conflict) as again:
            services.answer_save(
                actor=school.guardian, form=form, child=child, given=answer_of(form), submit=True
            )
        assert again.value.code == ErrorCode.ALREADY_SUBMITTED
        # Not their child; not a respondent.
        with pytest.raises(ValidationFailed):
            services.answer_save(
                actor=school.guardian, form=form, child=school.m(school.students[1]), given={}, submit=False
            )
        with pytest.raises(PermissionDenied):
            services.answer_save(actor=school.teacher, form=form, child=child, given={}, submit=False)
        [row] = selectors.completion(form)
        assert (row.expected, row.submitted, row.drafts, row.rate) == (3, 1, 0, 33)
        entries = list(AuditEntry.objects.filter(pk__gt=before, action__startswith="forms.").order_by("pk"))
    assert [e.action for e in entries] == [
        "forms.form_created",
        "forms.form_published",
        "forms.answer_saved",
        "forms.answer_submitted",
    ]
    assert all("Allergie" not in str(e.details) for e in entries)


def test_the_deadline_closes_the_form(school: School):
    form = trip_form(school)
    with tenant_context(school.establishment):
        child = school.m(school.students[0])
        with pytest.raises(Conflict) as late:
            services.answer_save(
                actor=school.guardian,
                form=form,
                child=child,
                given=answer_of(form),
                submit=True,
                now=DEADLINE + datetime.timedelta(minutes=1),
            )
        assert late.value.code == ErrorCode.FORM_DEADLINE_PASSED
        services.answer_save(
            actor=school.guardian,
            form=form,
            child=child,
            given=answer_of(form),
            submit=True,
            now=DEADLINE - datetime.timedelta(minutes=1),
        )
        services.form_close(actor=school.extra["head"], form=form)
        with pytest.raises(Conflict) as closed:
            services.answer_save(
                actor=school.guardian, form=form, child=school.m(school.students[0]), given={}, submit=False
            )
        assert closed.value.code in (ErrorCode.FORM_CLOSED, ErrorCode.ALREADY_SUBMITTED)


def test_building_a_form_checks_its_parts(school: School):
    with tenant_context(school.establishment):
        with pytest.raises(ValidationFailed) as refused:
            services.form_create(
                actor=school.extra["head"],
                title="",
                kind="trip",
                audience="guardians",
                classes=[],
                deadline=DEADLINE - datetime.timedelta(days=30),
                questions=[{"kind": "choice", "label": "Repas", "choices": ["Seul"]}],
                reader_roles=["student"],
            )
        assert {"title", "classes", "deadline", "questions", "reader_roles"} <= set(refused.value.fields)
        with pytest.raises(PermissionDenied):
            services.form_create(
                actor=school.teacher,
                title="x",
                kind="trip",
                audience="guardians",
                classes=[school.school_class],
                deadline=DEADLINE,
                questions=[{"kind": "text", "label": "x"}],
                reader_roles=["teacher"],
            )


def test_reminders_reach_who_has_not_answered_once(school: School):
    form = trip_form(school, reminder_days=3)
    with tenant_context(school.establishment):
        assert notices.form_reminders_send(now=DEADLINE - datetime.timedelta(days=5)) == 0
        assert notices.form_reminders_send(now=DEADLINE - datetime.timedelta(days=2)) == 1
        assert notices.form_reminders_send(now=DEADLINE - datetime.timedelta(days=1)) == 0
        reminded = Notification.objects.filter(source=f"form:{form.pk}:reminder").get()
        assert list(reminded.recipients.values_list("user_id", flat=True)) == [school.guardian.pk]
