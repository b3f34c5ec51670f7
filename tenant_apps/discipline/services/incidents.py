"""Reporting an incident: what, when, where, the students involved and the witnesses."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.errors import ValidationFailed
from shared_apps.identity.roles import Role
from tenant_apps.discipline.models import Incident
from tenant_apps.discipline.services.common import acting_member, audit
from tenant_apps.school.models import Member


@transaction.atomic
def incident_create(
    *,
    actor: Actor | None,
    occurred_at: datetime.datetime,
    description: str,
    students: list[Member],
    place: str = "",
    witnesses: list[Member] | None = None,
    other_witnesses: str = "",
) -> Incident:
    """Any member of staff reports an incident (involving any student: a teacher may witness one
    in a corridor); it is then seen by school-life staff, the leadership, the reporter and the
    teachers of the students involved."""
    reporter = acting_member(actor)
    if not description.strip():
        raise ValidationFailed(fields={"description": [str(_("Say what happened."))]})
    if not students or any(Role.STUDENT not in (s.roles or []) for s in students):
        raise ValidationFailed(fields={"students": [str(_("Name the students involved."))]})
    if occurred_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationFailed(fields={"occurred_at": [str(_("An incident cannot be in the future."))]})
    incident = Incident.objects.create(
        occurred_at=occurred_at,
        description=description.strip(),
        place=place.strip()[:120],
        other_witnesses=other_witnesses.strip()[:300],
        reported_by=reporter,
    )
    incident.students.set(students)
    incident.witnesses.set(witnesses or [])
    audit(
        actor,
        "discipline.incident_reported",
        incident,
        {
            "occurred_at": occurred_at.isoformat(),
            "students": sorted(s.pk for s in students),
            "witnesses": sorted(w.pk for w in witnesses or []),
        },
    )
    return incident
