"""Making report cards (the Celery worker's side of a publication, and a regeneration):
each student's PDF from the class's results computed once, stored under the establishment's
prefix, recorded as a new version (the previous one kept, no longer current), and the student
and their guardians told through the notification service.

A class is computed once (results: five queries; absences: three; appraisals, council decisions,
guardians: one each), then one PDF and one small transaction per student, so progress shows as
it goes and a run that stops half-way resumes where it was: a student already done in this
publication is skipped (``reportcards_card_once_per_publication``).

A run holds the publication's lease (an advisory lock on its worker's connection) for as long as
it runs: a second delivery of the task while the first runs does nothing, and a publication still
``running`` whose lease is free has lost its worker (tenant_apps/reportcards/reaper.py).
A student's card is made under a lock of the student's row, and its file has a name fixed by
(period, student, version): the file a killed worker stored before its transaction committed is
replaced by the next run, never left beside the real one."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_noop

from mbn_platform.kernel.db import schema_establishment, tenant_db
from mbn_platform.kernel.storage import establishment_prefix
from shared_apps.identity.models import GuardianLink
from shared_apps.notify.service import notify
from shared_apps.notify.text import Text
from shared_apps.notify.types import NotificationType
from tenant_apps.attendance.halfdays import Counts
from tenant_apps.attendance.statistics import Span, student_counts
from tenant_apps.grades.results import StudentResults, class_results
from tenant_apps.reportcards import selectors
from tenant_apps.reportcards.models import Publication, PublicationStatus, ReportCard
from tenant_apps.reportcards.pdf import report_card_pdf
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Period
from tenants.models import Establishment


@dataclass
class ClassSheet:
    """Everything a class's report cards of a period are made from."""

    period: Period
    school_class: SchoolClass
    results: dict[int, StudentResults]
    absences: dict[int, Counts]
    appraisals: dict[tuple[int, int], Any]
    councils: dict[int, Any]
    guardians: dict[int, list[int]]
    head_teacher: str
    establishment: Establishment | None


def class_sheet(*, period: Period, school_class: SchoolClass) -> ClassSheet:
    results = class_results(period=period, school_class=school_class, published_only=False)
    students = [r.student for r in results.values()]
    span = Span(label=period.name, start=period.start, end=period.end, period_id=period.pk)
    guardians: dict[int, list[int]] = defaultdict(list)
    for guardian_id, child_id in GuardianLink.objects.filter(
        child_id__in=[s.user_id for s in students]
    ).values_list("guardian_id", "child_id"):
        guardians[child_id].append(guardian_id)
    head = selectors.head_teacher_of(school_class)
    establishment = (
        schema_establishment() or Establishment.objects.filter(schema_name=tenant_db().schema_name).first()
    )
    return ClassSheet(
        period=period,
        school_class=school_class,
        results=results,
        absences=student_counts(students=students, span=span),
        appraisals=selectors.appraisals(period=period, students=students),
        councils=selectors.council_decisions(period=period, students=students),
        guardians=guardians,
        head_teacher=head.display_name if head else "",
        establishment=establishment,
    )


def _context(
    sheet: ClassSheet, student: Member, *, version: int, published_on: datetime.date
) -> dict[str, Any]:
    results = sheet.results[student.pk]
    lines = []
    for line in results.lines:
        appraisal = sheet.appraisals.get((student.pk, line.subject.pk))
        line.appraisal = appraisal.text if appraisal else ""  # type: ignore[attr-defined]
        lines.append(line)
    return {
        "establishment_name": getattr(sheet.establishment, "name", ""),
        "period": sheet.period,
        "student": student,
        "class_name": sheet.school_class.name,
        "head_teacher": sheet.head_teacher,
        "lines": lines,
        "overall": results.overall,
        "class_overall": results.class_overall,
        "absences": sheet.absences.get(student.pk, Counts()),
        "council": sheet.councils.get(student.pk),
        "version": version,
        "published_on": published_on,
    }


def card_file_name(*, period_id: int, user_id: int, version: int) -> str:
    """The stored name of a version of a student's report card (the establishment's prefix
    included): the same for every run that makes it, not guessable."""
    token = salted_hmac("reportcards.file", f"{tenant_db().schema_name}:{period_id}:{user_id}:{version}")
    return (
        f"{establishment_prefix()}reportcards/{period_id}/{user_id}-v{version}-{token.hexdigest()[:16]}.pdf"
    )


def report_card_make(
    *, sheet: ClassSheet, student: Member, published_on: datetime.date, publication: Publication | None
) -> ReportCard | None:
    """One student's report card: a new version, the previous one kept. None when this
    publication already made it (a task run twice)."""
    with transaction.atomic():
        # One maker at a time per student (a publication, a regeneration, a second worker).
        list(Member.objects.select_for_update().filter(pk=student.pk).values_list("pk", flat=True))
        if (
            publication is not None
            and ReportCard.objects.filter(publication=publication, student=student).exists()
        ):
            return None
        current = ReportCard.objects.select_for_update().filter(period=sheet.period, student=student)
        version = (current.aggregate(top=Max("version"))["top"] or 0) + 1
        pdf = report_card_pdf(_context(sheet, student, version=version, published_on=published_on))
        name = card_file_name(period_id=sheet.period.pk, user_id=student.user_id, version=version)
        if default_storage.exists(name):  # stored by a run that died before its commit
            default_storage.delete(name)
        name = default_storage.save(name, ContentFile(pdf))
        current.filter(is_current=True).update(is_current=False)
        try:
            with transaction.atomic():
                card = ReportCard.objects.create(
                    period=sheet.period,
                    student=student,
                    school_class_name=sheet.school_class.name,
                    version=version,
                    file=name,
                    size=len(pdf),
                    overall_average=sheet.results[student.pk].overall,
                    publication=publication,
                    published_on=published_on,
                )
        except IntegrityError:  # made meanwhile without the student's lock: keep theirs
            return None
        if publication is not None:  # progress moves with the card, in its transaction
            Publication.objects.filter(pk=publication.pk).update(done=F("done") + 1)
        notify(
            actor=None,
            type=NotificationType.REPORT_CARD,
            recipients=[student.user_id, *sheet.guardians.get(student.user_id, [])],
            title=Text(gettext_noop("Report card of %(period)s"), period=sheet.period.name),
            body=Text(gettext_noop("The report card of %(name)s is available."), name=student.display_name),
            link="/reportcards/",
            establishment=sheet.establishment,
            source=f"report_card:{card.pk}",
            about_user_id=student.user_id,
        )
        return card


def lease_key(publication_id: int) -> str:
    return f"reportcards.publication:{tenant_db().schema_name}:{publication_id}"


@contextmanager
def publication_lease(publication_id: int) -> Iterator[bool]:
    """Hold the publication's lease (a session advisory lock): whether it was free."""
    key = lease_key(publication_id)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(hashtextextended(%s, 0))", [key])
        free = bool(cursor.fetchone()[0])
    try:
        yield free
    finally:
        if free:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", [key])


def publication_run(*, publication_id: int) -> int:
    """Make the report cards of a publication (idempotent: a finished one does nothing, a
    stopped one resumes, one being made by another worker is left to it). Returns how many were
    made by this run."""
    with publication_lease(publication_id) as free:
        publication = (
            Publication.objects.select_related("period", "school_class").filter(pk=publication_id).first()
        )
        if not free or publication is None or publication.status == PublicationStatus.DONE:
            return 0
        sheet = class_sheet(period=publication.period, school_class=publication.school_class)
        Publication.objects.filter(pk=publication.pk).update(
            status=PublicationStatus.RUNNING,
            total=len(sheet.results),
            done=ReportCard.objects.filter(publication=publication).count(),
            attempts=F("attempts") + 1,
        )
        made = 0
        for result in sheet.results.values():
            card = report_card_make(
                sheet=sheet,
                student=result.student,
                published_on=publication.published_on,
                publication=publication,
            )
            made += card is not None
        Publication.objects.filter(pk=publication.pk).update(
            status=PublicationStatus.DONE, finished_at=timezone.now()
        )
        return made
