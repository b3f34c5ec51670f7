from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shared_apps.identity.roles import Role
from tests.factories import member
from tests.timetable.helpers import WEEK_A, School, make_school, t

MONDAY = WEEK_A  # a Monday of week A: the class's maths lesson
NEXT_MONDAY = WEEK_A + datetime.timedelta(days=7)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "exercices.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def school(school_a) -> School:
    """The class's Monday maths lesson (the teacher), the English group's Tuesday lesson (the same
    teacher) and the other class's Monday lesson (the other teacher); a head."""
    school = make_school(school_a)
    school.extra["lesson"] = school.lesson()
    school.extra["group_lesson"] = school.lesson(
        weekday=1, group=school.group, subject=school.english, start_time=t("10:00"), end_time=t("11:00")
    )
    school.extra["other_lesson"] = school.lesson(
        school_class=school.other_class,
        teacher=school.other_teacher,
        start_time=t("09:00"),
        end_time=t("10:00"),
    )
    school.extra["head"] = member(school_a, Role.HEAD)
    return school
