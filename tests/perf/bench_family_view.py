"""The family view's SQL: a guardian with 3 children in 2 schools (2 at Alpha, 1 at Bêta).

The portal's home page is measured with few and with many rows in the children's schools
(1, then 50 more classmates per child, classes and other families), with the providers that ship
and one more written like the later apps' (grades, absences, messages): a single aggregated query
per school over rows that grow with the school's activity. Prints both query counts (asserted
equal: the count must not grow with the rows) and the time of a request. Not a timed test.
"""

from __future__ import annotations

import itertools
import statistics
import time
from collections.abc import Mapping, Sequence

import pytest
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from shared_apps.identity import family_news
from shared_apps.identity.family_news import FamilyChild, NewsItem
from shared_apps.identity.models import User
from shared_apps.identity.roles import Role
from shared_apps.identity.services import guardian_link_create, membership_grant
from tenant_apps.school.models import Member
from tenant_apps.school.services import school_class_ensure, school_classes_ensure
from tenants.models import Establishment
from tests.conftest import client_for
from tests.factories import UserFactory, member

pytestmark = pytest.mark.perf

MANY = 50
ROUNDS = 15


def _classmates(
    *, establishment: Establishment, guardian: User, children: Sequence[FamilyChild]
) -> Mapping[int, Sequence[NewsItem]]:
    """A provider shaped like the later apps': one query for the whole batch, however many rows."""
    class_ids = {child.member.school_class_id for child in children if child.member is not None}
    counts = dict(
        Member.objects.filter(school_class_id__in=class_ids, is_active=True)
        .values("school_class_id")
        .annotate(n=Count("pk"))
        .values_list("school_class_id", "n")
    )
    return {
        child.user_id: [NewsItem(text=f"{counts.get(child.member.school_class_id, 0)} in the class")]
        for child in children
        if child.member is not None
    }


_ids = itertools.count(50_000_000)  # region-wide ids of classmates known only to the school


def _add_rows(establishment: Establishment, class_names: list[str], per_class: int, tag: str) -> None:
    """Classmates in the children's classes, other classes, other families."""
    with schema_context(establishment.schema_name):
        classes = school_classes_ensure(names=class_names)
        school_classes_ensure(names=[f"X{tag}{n}" for n in range(per_class)])
        Member.objects.bulk_create(
            [
                Member(
                    user_id=next(_ids),
                    display_name=f"Mate {tag} {n}",
                    roles=[Role.STUDENT],
                    school_class=classes[name],
                )
                for name in class_names
                for n in range(per_class)
            ]
        )
    for _ in range(max(1, per_class // 10)):
        other_parent = member(establishment, Role.GUARDIAN)
        other_child = member(establishment, Role.STUDENT, class_name=class_names[0])
        guardian_link_create(actor=None, guardian=other_parent, child=other_child)


def _measure(client: Client) -> tuple[int, float]:
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
        assert response.status_code == 200
    queries = len(ctx.captured_queries)  # read now: each request empties the connection's log
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        client.get("/")
        times.append(time.perf_counter() - start)
    return queries, statistics.median(times) * 1000


def test_family_view_query_count_is_constant_in_the_schools_rows(
    school_a, school_b, bench_report, monkeypatch, settings
):
    # The providers run on every request (neither the news nor the page are held): their
    # queries are counted.
    settings.MBN_FAMILY_NEWS_HOLD_SECONDS = 0
    settings.MBN_PAGE_HOLD_SECONDS = 0
    monkeypatch.setattr(family_news, "_providers", [*family_news.family_news_providers(), _classmates])
    with schema_context(school_a.schema_name):
        school_class_ensure(name="5e F", level="5e")
        school_class_ensure(name="3e F", level="3e")
    with schema_context(school_b.schema_name):
        school_class_ensure(name="1re F", level="1re")
    children = [
        member(school_a, Role.STUDENT, class_name="5e F", first_name="Aline"),
        member(school_a, Role.STUDENT, class_name="3e F", first_name="Bruno"),
        member(school_b, Role.STUDENT, class_name="1re F", first_name="Chloé"),
    ]
    children[2].set_unusable_password()  # not activated yet: the directory's item shows
    children[2].save()
    parent = UserFactory(first_name="Parent")
    for school in (school_a, school_b):
        membership_grant(actor=None, user=parent, establishment=school, role=Role.GUARDIAN)
    for child in children:
        guardian_link_create(actor=None, guardian=parent, child=child)
    client = client_for(parent)

    _add_rows(school_a, ["5e F", "3e F"], 1, "a1")
    _add_rows(school_b, ["1re F"], 1, "b1")
    few, few_ms = _measure(client)
    page = client.get("/").content.decode()
    assert all(child.display_name in page for child in children)

    _add_rows(school_a, ["5e F", "3e F"], MANY, "a2")
    _add_rows(school_b, ["1re F"], MANY, "b2")
    many, many_ms = _measure(client)
    settings.MBN_FAMILY_NEWS_HOLD_SECONDS = 60  # as in production: the news held a minute
    settings.MBN_SHARED_CACHE = True
    held, held_ms = _measure(client)
    settings.MBN_PAGE_HOLD_SECONDS = 60  # as in production: the page held while nothing changes
    client.get("/")  # the render that tells what the page reads; _measure's first keeps it
    page_held, page_held_ms = _measure(client)

    bench_report(
        f"family view (portal home), guardian with 3 children in 2 schools: {few} SQL queries with "
        f"1 extra row per child/class, {many} with {MANY} more (goal: constant); "
        f"{few_ms:.1f} ms / {many_ms:.1f} ms per request (median of {ROUNDS}); news held: {held} queries, "
        f"{held_ms:.1f} ms; page held: {page_held} queries, {page_held_ms:.1f} ms"
    )
    assert many == few
    assert page_held == 0
