"""Bad input on every page and API of an establishment's site (every app's routes) is answered,
never a 500: unknown ids, malformed query parameters, NUL bytes and out-of-range values in
parameters, form fields and path values, empty and malformed form posts."""

from __future__ import annotations

import pytest

from shared_apps.identity.roles import Role
from tests.bad_input import GARBAGE, HUGE_ID, HUGE_INPUT, NUL, NUL_INPUT, last, route_paths
from tests.conftest import client_for
from tests.factories import member

TENANT = "mbn_platform.config.urls_tenant"
#: Signing out ends the client's session: it comes last.
SIGN_OUT = ("accounts/logout/",)


def _pages(ids: dict[str, int], day: str) -> list[str]:
    """Every page of an establishment's site (every app's), API apart."""
    paths = route_paths(TENANT, ids=ids, day=day)
    return last([p for p in paths if not p.startswith("/api/")], *SIGN_OUT)


def _apis(ids: dict[str, int], day: str) -> list[str]:
    return [p for p in route_paths(TENANT, ids=ids, day=day) if p.startswith("/api/v1/")]


def _real_ids(school_a) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Ids of real objects of school A (a small school, its lesson, holiday, exceptional lesson…)."""
    import datetime

    from django_tenants.utils import schema_context

    from tenant_apps.structure.services import period_create, teaching_assignment_create
    from tenant_apps.timetable.services import exceptional_lesson_create, holiday_create
    from tests.timetable.helpers import make_school, t

    school = make_school(school_a, prefix="BAD")
    lesson = school.lesson()
    with schema_context(school_a.schema_name):
        teacher = school.m(school.teacher)
        period = period_create(
            actor=None,
            year=school.year,
            name="T1",
            kind="trimester",
            start=datetime.date(2026, 9, 1),
            end=datetime.date(2026, 11, 30),
        )
        assignment = teaching_assignment_create(
            actor=None, teacher=teacher, subject=school.math, school_class=school.school_class
        )
        holiday = holiday_create(
            actor=None, name="Noël", start=datetime.date(2026, 12, 19), end=datetime.date(2027, 1, 3)
        )
        exceptional = exceptional_lesson_create(
            actor=None,
            date=datetime.date(2026, 9, 16),
            start_time=t("14:00"),
            end_time=t("15:00"),
            subject=school.math,
            teacher=teacher,
            school_class=school.school_class,
        )
    return {
        "lesson_id": lesson.pk,
        "exceptional_id": exceptional.pk,
        "holiday_id": holiday.pk,
        "class_id": school.school_class.pk,
        "group_id": school.group.pk,
        "room_id": school.room.pk,
        "subject_id": school.math.pk,
        "year_id": school.year.pk,
        "period_id": period.pk,
        "assignment_id": assignment.pk,
        "user_id": school.students[0].pk,
    }


@pytest.mark.parametrize("role", [Role.ESTABLISHMENT_ADMIN, Role.SCHOOL_LIFE, Role.TEACHER, Role.GUARDIAN])
def test_no_page_answers_a_500_to_bad_input(school_a, role):
    client = client_for(member(school_a, role), school_a)
    real = _pages(_real_ids(school_a), "2026-09-14")  # a Monday of its lesson
    for path in [*_pages({}, "2026-13-45"), *real]:
        assert client.get(path, GARBAGE).status_code < 500, path
        assert client.post(path, {}).status_code < 500, path
        assert client.post(path, GARBAGE).status_code < 500, path


@pytest.mark.parametrize("role", [Role.ESTABLISHMENT_ADMIN, Role.SCHOOL_LIFE])
def test_no_api_answers_a_500_to_bad_input(school_a, role):
    client = client_for(member(school_a, role), school_a, api=True)
    real = _apis(_real_ids(school_a), "2026-09-14")
    for path in [*_apis({}, "2026-13-45"), *real]:
        assert client.get(path, GARBAGE).status_code < 500, path
        for method in (client.post, client.patch, client.put):
            assert method(path, GARBAGE, format="json").status_code < 500, path
            assert method(path, {"date": None, "name": ["x"]}, format="json").status_code < 500, path


@pytest.mark.parametrize("role", [Role.ESTABLISHMENT_ADMIN, None])
def test_nul_bytes_and_out_of_range_values_are_answered_never_a_500(school_a, role):
    user = member(school_a, role) if role else None
    page = client_for(user, school_a)
    api = client_for(user, school_a, api=True)
    ids = _real_ids(school_a)
    pages = [*_pages(ids, "2026-09-14"), *last(route_paths(TENANT, day="9999-12-31", missing=HUGE_ID))]
    pages += [p for p in route_paths(TENANT, text=f"a{NUL}b") if "a\x00b" in p]
    failed = []
    for path in last(pages, *SIGN_OUT):
        for data in (NUL_INPUT, HUGE_INPUT):
            if page.get(path, data).status_code >= 500:
                failed.append(("GET", path, data is NUL_INPUT))
            if not path.startswith("/api/") and page.post(path, data).status_code >= 500:
                failed.append(("POST", path, data is NUL_INPUT))
    for path in [*_apis(ids, "0001-01-01"), *_apis({}, "9999-12-31")]:
        for data in (NUL_INPUT, HUGE_INPUT):
            for method in ("get", "post", "patch"):
                options = {} if method == "get" else {"format": "json"}
                if getattr(api, method)(path, data, **options).status_code >= 500:
                    failed.append((method, path, data is NUL_INPUT))
    assert failed == []
