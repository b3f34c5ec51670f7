"""The school's navigation: each person sees the pages of their roles, and each link opens."""

from __future__ import annotations

import re

import pytest

from shared_apps.identity.roles import Role
from tests.conftest import client_for
from tests.factories import member


def _links(html: str) -> dict[str, str]:
    nav = re.search(r'<nav class="school-nav".*?</nav>', html, re.S)
    assert nav is not None
    found = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav.group(0))
    return {label.strip(): href for href, label in found}


@pytest.mark.parametrize(
    ("role", "present", "absent"),
    [
        (Role.STUDENT, {"Timetable", "My attendance"}, {"School structure", "Attendance follow-up"}),
        (Role.GUARDIAN, {"Timetable", "Absences"}, {"Manage the timetable", "Lateness"}),
        (Role.SCHOOL_LIFE, {"Attendance follow-up", "Lateness"}, {"School structure", "Members and roles"}),
        (Role.ESTABLISHMENT_ADMIN, {"School structure", "Manage the timetable", "Members and roles"}, set()),
    ],
)
def test_each_role_sees_its_pages_and_every_link_opens(school_a, role, present, absent):
    person = member(school_a, role)
    client = client_for(person, school_a)
    links = _links(client.get("/").content.decode())
    assert present <= set(links)
    assert not absent & set(links)
    for href in links.values():
        assert client.get(href).status_code == 200, href


def test_the_current_page_is_marked(school_a):
    client = client_for(member(school_a, Role.STUDENT), school_a)
    html = client.get("/timetable/").content.decode()
    assert re.search(r'<a href="/timetable/" aria-current="page">', html)


def test_visitors_see_no_school_navigation(school_a):
    from django.test import Client

    from tests.conftest import host_of

    html = Client(HTTP_HOST=host_of(school_a)).get("/").content.decode()
    assert "school-nav" not in html


def test_the_navigation_follows_the_language_and_the_current_page(school_a, french_by_default):
    """Rendered once per roles, language and current entry in each process: a person who changes
    language, or goes to another section, sees it at once."""
    client = client_for(member(school_a, Role.STUDENT), school_a)
    french = client.get("/timetable/").content.decode()
    assert "Emploi du temps" in _links(french)
    assert 'aria-label="L\N{RIGHT SINGLE QUOTATION MARK}établissement"' in french
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/timetable/").content.decode()
    assert "Timetable" in _links(english) and "Emploi du temps" not in _links(english)
    assert re.search(r'<a href="/timetable/" aria-current="page">Timetable</a>', english)
    elsewhere = client.get("/attendance/me/").content.decode()
    assert 'aria-current="page">My attendance<' in elsewhere and not re.search(
        r'<a href="/timetable/" aria-current', elsewhere
    )
