from __future__ import annotations

import io

from django.core.files.storage import default_storage
from django_tenants.utils import schema_context
from pypdf import PdfReader

from tenant_apps.reportcards import services
from tenant_apps.reportcards.models import ReportCard
from tests.grades.helpers import assessment, enter
from tests.timetable.helpers import School


def pdf_text(data: bytes) -> str:
    """The PDF's text, its whitespace (table cells wrap lines) made single spaces."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def stored_text(school: School, card: ReportCard) -> str:
    with schema_context(school.establishment.schema_name), default_storage.open(card.file) as handle:
        return pdf_text(handle.read())


def prepare(school: School) -> None:
    """Grades of T1 (first student: maths 14.50, English 15; second: maths 9.25), an appraisal,
    the head teacher, a council decision."""
    a, b, _c = (s.pk for s in school.students)
    maths = assessment(school, scale="10", coefficient="2")
    enter(school, maths, {a: "7,25", b: "4,5"})
    second = assessment(school, title="DS")
    enter(school, second, {a: "14,50", b: "9,25"})
    english = assessment(school, subject=school.english, school_class=None, group=school.group)
    enter(school, english, {a: "15"})
    with schema_context(school.establishment.schema_name):
        student = school.m(school.students[0])
        services.head_teacher_set(
            actor=school.extra["head"], school_class=school.school_class, teacher=school.m(school.teacher)
        )
        services.appraisal_write(
            actor=school.teacher,
            period=school.extra["t1"],
            student=student,
            subject=school.math,
            text="Travail sérieux et régulier.",
        )
        services.council_decision_set(
            actor=school.teacher,
            period=school.extra["t1"],
            student=student,
            appraisal="Très bon trimestre.",
            mention="congratulations",
        )
