"""What the API fuzzer found, each kept fixed by a plain test."""

from __future__ import annotations

import re

from shared_apps.identity.roles import Role
from tests.conftest import client_for
from tests.factories import member


def _property(schema: dict, component: str, name: str) -> dict:  # type: ignore[type-arg]
    return schema["components"]["schemas"][component]["properties"][name]


def test_times_of_day_are_documented_as_the_hh_mm_they_are(school_a):
    """The answers say "12:00"; the schema said ``format: time`` (RFC 3339: seconds and an
    offset), so every client validating against it refused them."""
    admin = client_for(member(school_a, Role.ESTABLISHMENT_ADMIN), school_a, api=True)
    schema = admin.get("/api/schema/?format=json").json()
    documented = _property(schema, "SettingsOut", "half_day_split")
    assert "format" not in documented
    answer = admin.get("/api/v1/attendance/settings/").json()["half_day_split"]
    assert re.fullmatch(documented["pattern"], answer), (documented, answer)
    for component, name in (("LessonOut", "start_time"), ("OccurrenceOut", "start")):
        assert _property(schema, component, name)["pattern"] == documented["pattern"], component
