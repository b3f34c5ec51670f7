"""Discipline's workflow: an incident reported, punishments given then done or cancelled, a
sanction proposed then decided once by the head (or recording the council's decision), each
write audited; a teacher acts only for their own students."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from mbn_platform.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from shared_apps.audit.models import AuditEntry
from tenant_apps.discipline import services
from tenant_apps.discipline.models import PunishmentStatus, SanctionStatus
from tests.timetable.helpers import School

D = datetime.date


def test_an_incident_leads_to_a_detention_and_a_sanction_decided_by_the_head(school: School):
    # Entries of this test only (the session's demo has discipline entries of its own).
    before = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    head = school.extra["head"]
    with schema_context(school.establishment.schema_name):
        student, witness = school.m(school.students[0]), school.m(school.students[1])
        incident = services.incident_create(
            actor=school.teacher,
            occurred_at=timezone.now() - datetime.timedelta(hours=1),
            description="Bagarre dans la cour",
            place="Cour",
            students=[student],
            witnesses=[witness, school.m(school.school_life)],
            other_witnesses="Le surveillant du car",
        )
        detention = services.punishment_give(
            actor=school.teacher,
            student=student,
            kind="detention",
            reason="Bagarre",
            date=D(2026, 9, 16),
            start_time=datetime.time(13),
            end_time=datetime.time(14),
            supervisor=school.m(school.school_life),
            incident=incident,
        )
        with pytest.raises(ValidationFailed) as missing:
            services.punishment_give(
                actor=school.teacher, student=student, kind="detention", reason="x", date=D(2026, 9, 16)
            )
        assert {"end_time", "supervisor"} <= set(missing.value.fields)
        with pytest.raises(ValidationFailed) as no_work:
            services.punishment_give(
                actor=school.teacher, student=student, kind="extra_work", reason="x", date=D(2026, 9, 16)
            )
        assert "work" in no_work.value.fields
        # The supervisor marks it done; someone else who did not give it may not.
        services.punishment_status_set(
            actor=school.school_life, punishment=detention, status=PunishmentStatus.DONE
        )
        with pytest.raises(PermissionDenied):
            services.punishment_status_set(actor=school.other_teacher, punishment=detention, status="missed")
        sanction = services.sanction_propose(
            actor=school.school_life,
            student=student,
            kind="temporary_exclusion",
            reason="Violence",
            exclusion_start=D(2026, 9, 21),
            exclusion_end=D(2026, 9, 30),
            incident=incident,
        )
        # Only the head decides; ten days are beyond what the head alone may pronounce.
        with pytest.raises(PermissionDenied):
            services.sanction_decide(
                actor=school.school_life, sanction=sanction, pronounced=True, body="head", decision="x"
            )
        with pytest.raises(ValidationFailed) as too_long:
            services.sanction_decide(
                actor=head, sanction=sanction, pronounced=True, body="head", decision="Exclusion"
            )
        assert "body" in too_long.value.fields
        decided = services.sanction_decide(
            actor=head,
            sanction=sanction,
            pronounced=True,
            body="council",
            decision="Conseil du 18/09",
            suspended=True,
        )
        assert (
            decided.status == SanctionStatus.PRONOUNCED
            and decided.suspended
            and decided.decided_by_id == head.pk
        )
        with pytest.raises(Conflict):
            services.sanction_decide(
                actor=head, sanction=sanction, pronounced=False, body="head", decision="x"
            )
        actions = list(
            AuditEntry.objects.filter(action__startswith="discipline.", pk__gt=before)
            .order_by("pk")
            .values_list("action", flat=True)
        )
    assert actions == [
        "discipline.incident_reported",
        "discipline.punishment_given",
        "discipline.punishment_status_set",
        "discipline.sanction_proposed",
        "discipline.sanction_decided",
    ]


def test_a_teacher_punishes_only_their_own_students_and_students_cannot_act(school: School):
    with schema_context(school.establishment.schema_name):
        mine, not_mine = school.m(school.students[0]), school.m(school.other_student)
        services.punishment_give(
            actor=school.teacher,
            student=mine,
            kind="extra_work",
            reason="Oubli",
            date=D(2026, 9, 20),
            work="Exercices 1 à 5",
        )
        with pytest.raises(ValidationFailed) as refused:
            services.punishment_give(
                actor=school.teacher,
                student=not_mine,
                kind="extra_work",
                reason="x",
                date=D(2026, 9, 20),
                work="y",
            )
        assert "student" in refused.value.fields
        # School life acts for any student.
        services.sanction_propose(
            actor=school.school_life, student=not_mine, kind="warning", reason="Insolence"
        )
        with pytest.raises(PermissionDenied):
            services.punishment_give(
                actor=school.students[1],
                student=mine,
                kind="extra_work",
                reason="x",
                date=D(2026, 9, 20),
                work="y",
            )
        with pytest.raises(ValidationFailed):
            services.incident_create(
                actor=school.teacher,
                occurred_at=timezone.now() + datetime.timedelta(days=1),
                description="x",
                students=[mine],
            )
        with pytest.raises(ValidationFailed):
            services.sanction_propose(
                actor=school.school_life, student=mine, kind="class_exclusion", reason="x"
            )
