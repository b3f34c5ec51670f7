"""The demo's grades and report cards, through the services: in every class, for each subject a
teacher teaches it, two assessments in each period already over and one in the current period
(different scales and coefficients, an optional one, a few special marks), published a few days
after; grades are deterministic (a student's level and a small spread, from their id). Then the
last period over gets its class council (head teacher, the teachers' appraisals, the council's
decisions) and published report cards in the classes of the demo's children (Léa's 4e B, Tom's
2nde 1), so that Claire Martin downloads them. Idempotent: a period that has assessments, a
class and period already published, are left as they are."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from mbn_platform.demo.people import MARTIN_CHILDREN, SchoolPeople
from shared_apps.identity.models import User
from shared_apps.identity.roles import Role
from tenant_apps.grades import services as grades
from tenant_apps.grades.models import Assessment, AssessmentKind
from tenant_apps.grades.results import class_results
from tenant_apps.grades.selectors import roster
from tenant_apps.reportcards import services as reportcards
from tenant_apps.reportcards.generation import publication_run
from tenant_apps.reportcards.models import Mention, Publication
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Period, TeachingAssignment
from tenant_apps.structure.selectors import current_school_year

PUBLISH_AFTER = datetime.timedelta(days=3)
APPRAISALS = (
    (Decimal(16), "Excellent trimestre, travail approfondi."),
    (Decimal(13), "Bon travail, à poursuivre."),
    (Decimal(10), "Des résultats corrects ; plus de régularité est attendue."),
    (Decimal(0), "Des difficultés : il faut s'investir davantage et demander de l'aide."),
)
COUNCIL = (
    (Decimal(16), Mention.CONGRATULATIONS, "Félicitations du conseil de classe."),
    (Decimal(14), Mention.COMPLIMENTS, "Très bon trimestre, compliments."),
    (Decimal(12), Mention.ENCOURAGEMENTS, "Trimestre satisfaisant, encouragements."),
    (Decimal(0), Mention.NONE, "Trimestre fragile : le conseil attend un travail plus régulier."),
)


def _noise(*parts: object) -> int:
    return hashlib.sha256(":".join(map(str, parts)).encode()).digest()[0]


def _cell(student_id: int, title: str, scale: Decimal) -> str:
    draw = _noise(student_id, title)
    if draw % 37 == 0:
        return "Abs"
    if draw % 53 == 0:
        return "NR"
    level = Decimal(7 + _noise(student_id) % 10)  # the student's level, 7 to 16 out of 20
    value = min(Decimal(20), max(Decimal(0), level + Decimal(draw % 9 - 4)))
    on_scale = (value * scale / 20 * 2).quantize(Decimal(1)) / 2  # to the half point
    return f"{on_scale}".replace(".", ",")


def _dates(period: Period, until: datetime.date, count: int) -> list[datetime.date]:
    last = min(period.end, until)
    span = (last - period.start).days
    return [period.start + datetime.timedelta(days=span * (n + 1) // (count + 1)) for n in range(count)]


def _assessments_seed(period: Period, today: datetime.date, teachers: dict[int, User]) -> int:
    over = period.end < today
    count = 2 if over else 1
    made = 0
    assignments = TeachingAssignment.objects.select_related(
        "teacher", "subject", "school_class", "group"
    ).order_by("pk")
    for assignment in assignments:
        actor = teachers.get(assignment.teacher.user_id)
        if actor is None:
            continue
        for n, day in enumerate(_dates(period, today, count)):
            optional = over and n == 1 and assignment.pk % 4 == 0
            scale = Decimal(10) if n == 0 and assignment.pk % 3 == 0 else Decimal(20)
            title = f"{'Exposé' if optional else 'Contrôle'} {n + 1} — {assignment.subject.name}"
            assessment = grades.assessment_create(
                actor=actor,
                title=title,
                date=day,
                subject=assignment.subject,
                period=period,
                school_class=assignment.school_class,
                group=assignment.group,
                scale=scale,
                coefficient=Decimal(2) if n == 1 and not optional else Decimal(1),
                kind=AssessmentKind.OPTIONAL if optional else AssessmentKind.NORMAL,
            )
            cells = {s.user_id: _cell(s.user_id, f"{period.pk}{title}", scale) for s in roster(assessment)}
            grades.grades_enter(actor=actor, assessment=assessment, cells=cells)
            # Entered, then published: families see it a few days after the assessment.
            grades.assessment_update(actor=actor, assessment=assessment, published_on=day + PUBLISH_AFTER)
            made += 1
    return made


def _pick(table: tuple, average: Decimal | None) -> tuple:
    return next(row for row in table if (average or Decimal(0)) >= row[0])


def _council_seed(period: Period, school_class: SchoolClass, head: User, teachers: dict[int, User]) -> int:
    """Head teacher, appraisals, council decisions, then the publication made at once."""
    if Publication.objects.filter(period=period, school_class=school_class).exists():
        return 0
    in_class = TeachingAssignment.objects.filter(school_class=school_class).select_related("teacher")
    # The printed teacher persona (Sophie Lang) leads the class she teaches, else its first teacher.
    assignment = (
        in_class.filter(
            teacher__user_id__in=[u.pk for u in teachers.values() if u.login.startswith("sophie.lang")]
        )
        .order_by("pk")
        .first()
        or in_class.order_by("pk").first()
    )
    if assignment is None:
        return 0
    reportcards.head_teacher_set(actor=head, school_class=school_class, teacher=assignment.teacher)
    head_teacher = teachers[assignment.teacher.user_id]
    results = class_results(period=period, school_class=school_class, published_only=False)
    taught = {
        (a.subject_id, a.school_class_id or 0): a.teacher.user_id
        for a in TeachingAssignment.objects.filter(school_class=school_class).select_related("teacher")
    }
    for result in results.values():
        for line in result.lines:
            teacher = teachers.get(taught.get((line.subject.pk, school_class.pk), 0))
            if teacher is not None and line.average is not None:
                reportcards.appraisal_write(
                    actor=teacher,
                    period=period,
                    student=result.student,
                    subject=line.subject,
                    text=_pick(APPRAISALS, line.average)[1],
                )
        _floor, mention, text = _pick(COUNCIL, result.overall)
        reportcards.council_decision_set(
            actor=head_teacher, period=period, student=result.student, appraisal=text, mention=mention
        )
    with transaction.atomic():
        publication = reportcards.report_cards_publish(
            actor=head, period=period, school_class=school_class, published_on=period.end + PUBLISH_AFTER
        )
    return publication_run(publication_id=publication.pk)


def grades_seed(
    subdomain: str, people: SchoolPeople, *, today: datetime.date | None = None
) -> tuple[int, int]:
    """(assessments made, report cards made) in one school (the caller selects its schema)."""
    today = today or timezone.localdate()
    year = current_school_year(today=today)
    head = people.staff.get(Role.HEAD)
    if year is None or head is None:
        return 0, 0
    teacher_ids = list(
        Member.objects.filter(roles__contains=[Role.TEACHER]).values_list("user_id", flat=True)
    )
    teachers = {u.pk: u for u in User.objects.filter(pk__in=teacher_ids)}
    periods = list(year.periods.filter(start__lte=today).order_by("start"))
    done = set(Assessment.objects.values_list("period_id", flat=True).distinct())
    made = sum(_assessments_seed(p, today, teachers) for p in periods if p.pk not in done)
    over = [p for p in periods if p.end < today]
    cards = 0
    if over:
        for sub, _login, _first, class_name in MARTIN_CHILDREN:
            school_class = SchoolClass.objects.filter(name=class_name).first()
            if sub == subdomain and school_class is not None:
                cards += _council_seed(over[-1], school_class, head, teachers)
    return made, cards
