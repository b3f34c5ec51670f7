"""Attendance's "what is new" item for guardians: absences still to justify."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from django_tenants.utils import schema_context

from shared_apps.identity.family_news import FamilyChild, family_news_for
from shared_apps.identity.services import guardian_link_create
from tenant_apps.attendance.family_news import absences_to_justify
from tenant_apps.attendance.models import Justification
from tests.attendance.test_absences import take
from tests.conftest import client_for
from tests.timetable.helpers import School, t


def news(school: School, users) -> dict:
    with schema_context(school.establishment.schema_name):
        children = [FamilyChild(user=u, member=school.m(u), can_act=True) for u in users]
        return family_news_for(
            establishment=school.establishment, guardian=school.guardian, children=children
        )


def texts(school: School, user) -> list[str]:
    return [item.text for item in news(school, [user])[user.pk] if item.kind == "absence"]


def test_absences_to_justify_appear_then_go_once_justified(school: School):
    child = school.students[0]
    assert texts(school, child) == []
    morning = school.lesson(start_time=t("08:00"), end_time=t("09:00"))
    morning2 = school.lesson(start_time=t("10:00"), end_time=t("11:00"))
    afternoon = school.lesson(start_time=t("14:00"), end_time=t("15:00"))
    for lesson in (morning, morning2, afternoon):
        take(school, lesson, {child: "absent"})
    with schema_context(school.establishment.schema_name):
        [item] = [i for i in news(school, [child])[child.pk] if i.kind == "absence"]
    name = child.first_name or child.display_name
    assert name in item.text and "2" in item.text  # two half-days, three lessons
    assert item.url == "/attendance/family/"
    # On the child's page too (the family view's providers run there).
    page = client_for(school.guardian, school.establishment).get(f"/children/{child.pk}/")
    assert page.status_code == 200 and escape(item.text) in page.content.decode()

    # A pending justification covers them (school life will decide): nothing to justify.
    guardian = client_for(school.guardian, school.establishment, api=True)
    sent = guardian.post(
        "/api/v1/attendance/justifications/",
        {"child": child.pk, "start": "2026-09-14", "end": "2026-09-14", "reason": "illness"},
    )
    assert sent.status_code == 201
    assert texts(school, child) == []
    # Refused: to justify again.
    life = client_for(school.school_life, school.establishment, api=True)
    life.post(
        f"/api/v1/attendance/justifications/{sent.json()['id']}/decision/", {"accept": False}, format="json"
    )
    assert len(texts(school, child)) == 1
    # Accepted: gone.
    again = guardian.post(
        "/api/v1/attendance/justifications/",
        {"child": child.pk, "start": "2026-09-14", "end": "2026-09-14", "reason": "illness"},
    )
    life.post(
        f"/api/v1/attendance/justifications/{again.json()['id']}/decision/", {"accept": True}, format="json"
    )
    assert texts(school, child) == []
    with schema_context(school.establishment.schema_name):
        assert Justification.objects.filter(status="accepted").count() == 1


def test_a_declaration_ahead_covers_the_absence(school: School):
    child = school.students[0]
    client_for(school.guardian, school.establishment, api=True).post(
        "/api/v1/attendance/declarations/",
        {"child": child.pk, "start": "2026-09-14", "end": "2026-09-14", "reason": "medical"},
        format="json",
    )
    take(school, school.lesson(), {child: "absent"})
    assert texts(school, child) == []


def test_the_provider_runs_a_fixed_number_of_queries_for_any_number_of_children(school: School):
    first, second = school.students[0], school.students[1]
    guardian_link_create(actor=None, guardian=school.guardian, child=second)
    lesson = school.lesson()
    take(school, lesson, {first: "absent"})

    def measured(users) -> tuple[int, dict]:
        with schema_context(school.establishment.schema_name):
            children = [FamilyChild(user=u, member=school.m(u), can_act=True) for u in users]
            with CaptureQueriesContext(connection) as queries:
                found = absences_to_justify(
                    establishment=school.establishment, guardian=school.guardian, children=children
                )
        return len(queries.captured_queries), found

    measured([first])  # the school years and the policy are cached from then on (tenant_cache)
    one, found_one = measured([first])
    take(
        school, school.lesson(start_time=t("14:00"), end_time=t("15:00")), {first: "absent", second: "absent"}
    )
    two, found_two = measured([first, second])
    assert one == two <= 3
    assert set(found_one) == {first.pk} and set(found_two) == {first.pk, second.pk}
    # Only the children given: the other absent student of the class is not reported.
    assert measured([second])[1].keys() == {second.pk}


def test_the_family_pages_hold_the_news_a_minute_and_forget_them_when_the_guardian_acts(
    school: School, settings
):
    """The child's page (like the family view) holds a guardian's news of the school for
    MBN_FAMILY_NEWS_HOLD_SECONDS: an absence recorded meanwhile shows once they are over; the
    guardian's own justification takes the item away at once."""
    import datetime

    import time_machine

    settings.MBN_SHARED_CACHE = True  # held only in a cache the processes share (this one's here)

    child = school.students[0]
    page = f"/children/{child.pk}/"
    guardian = client_for(school.guardian, school.establishment)
    name = child.first_name or child.display_name
    with time_machine.travel(datetime.datetime(2026, 9, 14, 18, 0, tzinfo=datetime.UTC), tick=False) as clock:
        assert "absence to justify" not in guardian.get(page).content.decode()
        take(school, school.lesson(start_time=t("08:00"), end_time=t("09:00")), {child: "absent"})
        with CaptureQueriesContext(connection) as held:
            assert "absence to justify" not in guardian.get(page).content.decode()  # held
        clock.shift(settings.MBN_FAMILY_NEWS_HOLD_SECONDS)
        with CaptureQueriesContext(connection) as fresh:
            html = guardian.get(page).content.decode()
        assert "absence to justify" in html and escape(name) in html
        assert len(held.captured_queries) < len(fresh.captured_queries)  # the providers did not run
        sent = client_for(school.guardian, school.establishment, api=True).post(
            "/api/v1/attendance/justifications/",
            {"child": child.pk, "start": "2026-09-14", "end": "2026-09-14", "reason": "illness"},
        )
        assert sent.status_code == 201
        assert "absence to justify" not in guardian.get(page).content.decode()  # at once


def test_the_held_family_view_is_rendered_again_when_the_guardian_acts(school: School, settings):
    """The portal's family view is held for the guardian (kernel/held_pages.py) while nothing it
    shows changes: no query at all; their own justification renders it again at once."""
    import datetime

    import time_machine

    from mbn_platform.kernel.held_pages import held_pages_clear

    held_pages_clear()
    child = school.students[0]
    portal = client_for(school.guardian, None)
    take(school, school.lesson(start_time=t("08:00"), end_time=t("09:00")), {child: "absent"})
    with time_machine.travel(datetime.datetime(2026, 9, 14, 18, 0, 5, tzinfo=datetime.UTC), tick=False):
        for _ in range(3):  # the CSRF cookie, what the page reads, the page kept
            assert "absence to justify" in portal.get("/").content.decode()
        with CaptureQueriesContext(connection) as held:
            assert "absence to justify" in portal.get("/").content.decode()
        assert len(held.captured_queries) == 0
        sent = client_for(school.guardian, school.establishment, api=True).post(
            "/api/v1/attendance/justifications/",
            {"child": child.pk, "start": "2026-09-14", "end": "2026-09-14", "reason": "illness"},
        )
        assert sent.status_code == 201
        assert "absence to justify" not in portal.get("/").content.decode()  # at once
