from __future__ import annotations

import pytest

from shared_apps.identity.roles import Role
from tests.factories import member
from tests.timetable.helpers import School, make_school


@pytest.fixture
def school(school_a) -> School:
    school = make_school(school_a)
    school.lesson()  # the teacher teaches the class (Monday maths); the other teacher teaches nothing
    school.extra["head"] = member(school_a, Role.HEAD)
    return school
