"""The head publishes a class's report cards for a period (made in the background, on commit);
a member of the leadership regenerates one student's after a correction (a new version, the
previous one kept)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.errors import Conflict, ValidationFailed
from tenant_apps.grades.services.common import acting_member, audit
from tenant_apps.reportcards.generation import class_sheet, report_card_make
from tenant_apps.reportcards.models import Publication, PublicationStatus, ReportCard
from tenant_apps.reportcards.permissions import REPORT_CARD_PUBLISHERS
from tenant_apps.school.models import SchoolClass
from tenant_apps.structure.models import Period


@transaction.atomic
def report_cards_publish(
    *,
    actor: Actor | None,
    period: Period,
    school_class: SchoolClass,
    published_on: datetime.date | None = None,
) -> Publication:
    """Queue the making of every student's report card of the class for the period; each is
    visible to the family once made. One publication at a time per class and period."""
    member = acting_member(actor, REPORT_CARD_PUBLISHERS)
    today = timezone.localdate()
    published_on = published_on or today
    if published_on < period.start:
        raise ValidationFailed(
            fields={"published_on": [_("A report card is published after its period began.")]}
        )
    running = Publication.objects.select_for_update().filter(
        period=period,
        school_class=school_class,
        status__in=[PublicationStatus.QUEUED, PublicationStatus.RUNNING],
    )
    if running.exists():
        raise Conflict(_("These report cards are being generated."))
    publication = Publication.objects.create(
        period=period, school_class=school_class, published_on=published_on, requested_by=member
    )
    audit(
        actor,
        "reportcards.published",
        publication,
        {"period": period.pk, "class": school_class.name, "published_on": published_on.isoformat()},
    )
    from tenant_apps.reportcards.tasks import publication_run_task

    # Robust: with the broker away the publication stays queued (logged), and the reaper sends its
    # task once the broker is back (tenant_apps/reportcards/reaper.py); the head's request succeeds.
    transaction.on_commit(lambda: publication_run_task.delay(publication.pk), robust=True)
    return publication


@transaction.atomic
def report_card_regenerate(*, actor: Actor | None, card: ReportCard) -> ReportCard:
    """Make a student's report card again from today's data (after a corrected grade or
    appraisal): a new version becomes current, the previous one is kept."""
    acting_member(actor, REPORT_CARD_PUBLISHERS)
    school_class = card.student.school_class
    if school_class is None:
        raise ValidationFailed(fields={"student": [_("The student is in no class.")]})
    sheet = class_sheet(period=card.period, school_class=school_class)
    if card.student_id not in sheet.results:
        raise ValidationFailed(fields={"student": [_("The student is in no class.")]})
    made = report_card_make(
        sheet=sheet, student=card.student, published_on=timezone.localdate(), publication=None
    )
    assert made is not None  # noqa: S101 - without a publication a card is always made
    audit(
        actor,
        "reportcards.regenerated",
        made,
        {"student": card.student.user_id, "from_version": card.version, "to_version": made.version},
    )
    return made
