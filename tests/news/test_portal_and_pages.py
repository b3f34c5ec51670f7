"""The school's home page shows the latest news the reader may see; the region portal's home
shows the schools' public news (cached, forgotten when a school publishes), each page with a
bounded number of queries."""

from __future__ import annotations

from django_tenants.utils import schema_context

from shared_apps.identity.roles import Role
from tenant_apps.news import services
from tests.conftest import client_for
from tests.factories import member
from tests.messaging.conftest import People
from tests.news.conftest import to_class, write


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(url).status_code == 200  # the caches (host, membership) warm
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_home_page_shows_the_latest_news_meant_for_the_reader(people: People):
    school = people.school
    student = client_for(school.students[0], school.establishment)
    write(people, title="Annonce 0")
    few = _queries(student, "/")
    for n in range(1, 6):
        write(people, title=f"Annonce {n}")
    trip = write(people, visibility="targeted", targets=to_class(people, "students"), title="Sortie des 6e")
    assert _queries(student, "/") == few  # the news section costs the same whatever the items
    home = student.get("/").content.decode()
    assert "Sortie des 6e" in home and "Annonce 5" in home and "Annonce 0" not in home  # the 4 newest
    other = client_for(school.other_student, school.establishment).get("/").content.decode()
    assert "Sortie des 6e" not in other
    with schema_context(school.establishment.schema_name):  # withdrawn: gone from the cached section
        services.news_withdraw(actor=people.by_role[Role.HEAD], item=trip)
    assert "Sortie des 6e" not in student.get("/").content.decode()


def test_the_portal_shows_each_schools_public_news(
    people: People, school_b, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    school = people.school
    write(people, visibility="public", title="Journée portes ouvertes", body="<p>Samedi matin.</p>")
    write(people, title="Réservé aux membres")
    portal = client_for(None, None)
    page = portal.get("/").content.decode()
    assert "Journée portes ouvertes" in page and school.establishment.name in page
    assert "Réservé aux membres" not in page
    assert f"{school.establishment.domains.get(is_primary=True).domain}" in page
    with django_assert_max_num_queries(3):  # cached: no school's schema is read
        assert "Journée portes ouvertes" in portal.get("/").content.decode()
    # Another school publishes: the portal shows it at its next view.
    other_head = member(school_b, Role.HEAD)
    with schema_context(school_b.schema_name), django_capture_on_commit_callbacks(execute=True):
        item = services.news_save(actor=other_head, title="Concert du lycée", body="", visibility="public")
        services.news_publish(actor=other_head, item=item)
    assert "Concert du lycée" in portal.get("/").content.decode()
