"""A daily page is held for its reader while nothing it read changes (kernel/held_pages.py): the
held page costs no query, and the next request after any write to a table it read (by this
process or another), after the reader's minute, or for anybody else, renders it again."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from mbn_platform.kernel.generations import generations_read, reads_recorded
from mbn_platform.kernel.held_pages import held_pages_clear
from mbn_platform.kernel.table_reads import table_scope
from shared_apps.identity.roles import Role
from tenant_apps.homework.models import HomeworkDone
from tenant_apps.news.models import NewsItem
from tenant_apps.structure.models import Period
from tenant_apps.structure.selectors import periods_cached
from tests.conftest import client_for
from tests.factories import member
from tests.messaging.conftest import People
from tests.news.conftest import to_class, write


@pytest.fixture(autouse=True)
def _empty() -> None:
    held_pages_clear()


def _queries(client, path: str = "/news/", **headers: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **headers)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def _held(client, path: str = "/news/") -> str:
    """The page, once held: the first visit gets the CSRF cookie (a page is held only for a
    browser that has one), the next render says what the page reads, the one after is kept."""
    for _ in range(3):
        assert client.get(path).status_code == 200
    count, page = _queries(client, path)
    assert count == 0, "the page was rendered again"
    return page


def test_a_page_is_held_until_a_table_it_read_is_written(people: People):
    student = client_for(people.by_role[Role.STUDENT], people.school.establishment)
    write(people, title="Portes ouvertes")
    assert "Portes ouvertes" in _held(student)

    write(people, title="Sortie au musée")

    count, page = _queries(student)
    assert count > 0 and "Sortie au musée" in page
    assert _queries(student)[0] == 0  # held again, with the new item


def test_a_write_elsewhere_keeps_the_page_held(people: People):
    student = client_for(people.by_role[Role.STUDENT], people.school.establishment)
    write(people, title="Portes ouvertes")
    _held(student)
    with schema_context(people.school.establishment.schema_name):
        HomeworkDone.objects.filter(pk=-1).delete()  # a write to a table the news page never reads
    assert _queries(student)[0] == 0


def test_a_write_by_another_process_is_seen_on_the_next_request(people: People):
    """Only the table's generation moves in Redis, as another web process or a worker's bump."""
    student = client_for(people.by_role[Role.STUDENT], people.school.establishment)
    write(people, title="Portes ouvertes")
    _held(student)
    schema = people.school.establishment.schema_name
    with schema_context(schema):
        NewsItem.objects.update(title="Journée sportive")  # the rows change ...
    caches["platform"].incr(f"gen:{table_scope(schema, NewsItem._meta.db_table)}")  # ... and the other's bump
    count, page = _queries(student)
    assert count > 0 and "Journée sportive" in page


def test_nobody_else_gets_the_held_page(people: People, school_b):
    school = people.school
    write(people, title="Sortie des 6e", visibility="targeted", targets=to_class(people, "students"))
    student = client_for(people.by_role[Role.STUDENT], school.establishment)
    assert "Sortie des 6e" in _held(student)

    other = client_for(people.other_student, school.establishment)  # another class
    assert "Sortie des 6e" not in other.get("/news/").content.decode()
    elsewhere = client_for(member(school_b, Role.STUDENT), school_b)  # another school, same path
    assert "Sortie des 6e" not in elsewhere.get("/news/").content.decode()
    english = student.get("/news/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Sortie des 6e" in english


def test_htmx_requests_and_a_zero_hold_always_render(people: People, settings):
    student = client_for(people.by_role[Role.STUDENT], people.school.establishment)
    write(people, title="Portes ouvertes")
    _held(student)
    assert _queries(student, HTTP_HX_REQUEST="true")[0] > 0
    settings.MBN_PAGE_HOLD_SECONDS = 0
    assert _queries(student)[0] > 0


def test_a_held_page_lasts_its_minute_at_most(people: People):
    student = client_for(people.by_role[Role.STUDENT], people.school.establishment)
    write(people, title="Portes ouvertes")
    start = datetime.datetime(2026, 9, 14, 18, 0, 5, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        _held(student)
        clock.shift(datetime.timedelta(seconds=60))
        assert _queries(student)[0] > 0  # what depends on the clock alone shows within the minute


def test_a_cached_value_counts_the_tables_it_came_from(people: People):
    """A value served by ``tenant_cached`` makes the page depend on the tables it was read from:
    a period renamed renders again the pages that showed the period."""
    schema = people.school.establishment.schema_name
    scope = table_scope(schema, Period._meta.db_table)
    with schema_context(schema):
        periods_cached()  # computed (or found) once
        with reads_recorded() as reads:
            periods_cached()  # served from the cache: no query ...
        assert scope in reads.scopes  # ... and still counted as read
        before = generations_read(scope)
        Period.objects.filter(pk=-1).update(kind="x")
        assert generations_read(scope) != before  # the write moved the table's generation
