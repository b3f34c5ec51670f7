from __future__ import annotations

import pytest

from shared_apps.identity.roles import Role
from tests.factories import member
from tests.timetable.helpers import School, make_school


@pytest.fixture
def school(school_a) -> School:
    """The small school of tests/timetable/helpers.py (``guardian`` is the first student's), with a
    head; ``admin`` (administrative staff) reads the answers of the forms below."""
    school = make_school(school_a)
    school.extra["head"] = member(school_a, Role.HEAD)
    return school
