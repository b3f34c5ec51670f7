from __future__ import annotations

import pytest

from tests.timetable.helpers import School, make_school


@pytest.fixture
def school(school_a) -> School:
    return make_school(school_a)
