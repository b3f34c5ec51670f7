"""The MBN app's files on every host: a valid manifest linked from every page, the service worker
from the root with its scope and headers, the offline page without anybody's data."""

from __future__ import annotations

import json

from django.test import Client

from shared_apps.identity.roles import Role
from tests.conftest import client_for, host_of
from tests.factories import member


def test_the_manifest_names_the_app_with_its_icons_on_each_host(school_a, django_assert_max_num_queries):
    for establishment in (school_a, None):
        with django_assert_max_num_queries(3):
            answer = Client(HTTP_HOST=host_of(establishment)).get("/manifest.webmanifest")
        assert answer.status_code == 200 and answer["Content-Type"] == "application/manifest+json"
        manifest = json.loads(answer.content)
        assert manifest["name"] == "MBN — Mon bureau numérique" and manifest["short_name"] == "MBN"
        assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/", "/", "standalone")
        assert manifest["theme_color"].startswith("#")
        sizes = {icon["sizes"] for icon in manifest["icons"]}
        assert {"192x192", "512x512"} <= sizes
        assert any(icon["purpose"] == "maskable" for icon in manifest["icons"])
        for icon in manifest["icons"]:
            image = Client(HTTP_HOST=host_of(establishment)).get(icon["src"])
            assert image.status_code == 200
            assert b"".join(image.streaming_content).startswith(b"\x89PNG")  # type: ignore[attr-defined]
    assert (
        "Collège Alpha"
        in json.loads(Client(HTTP_HOST=host_of(school_a)).get("/manifest.webmanifest").content)["description"]
    )


def test_the_service_worker_is_served_from_the_root_for_the_whole_host(school_a):
    answer = Client(HTTP_HOST=host_of(school_a)).get("/sw.js")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/javascript")
    assert answer["Service-Worker-Allowed"] == "/"
    assert answer["Cache-Control"] == "no-cache"
    script = answer.content.decode()
    assert "__VERSION__" not in script and '"/offline/"' in script
    assert "/api/" not in script  # no API answer is ever kept
    assert 'new RegExp("^/timetable/$")' in script and 'new RegExp("^/homework/$")' in script
    assert "Content-Security-Policy" in answer.headers


def test_every_page_links_the_manifest_and_the_app_script_and_marks_its_reader(school_a):
    student = member(school_a, Role.STUDENT)
    signed_in = client_for(student, school_a).get("/").content.decode()
    anonymous = Client(HTTP_HOST=host_of(school_a)).get("/accounts/login/").content.decode()
    for page in (signed_in, anonymous):
        assert '<link rel="manifest" href="/manifest.webmanifest">' in page
        assert "connectors/app/app.js" in page
    assert 'data-mbn-owner="' in signed_in and "data-mbn-owner" not in anonymous
    other = client_for(member(school_a, Role.STUDENT), school_a).get("/").content.decode()
    mark = signed_in.split('data-mbn-owner="')[1].split('"')[0]
    assert mark and mark not in other and str(student.pk) != mark


def test_the_offline_page_shows_no_one_and_offers_the_kept_pages(school_a):
    answer = Client(HTTP_HOST=host_of(school_a)).get("/offline/")
    page = answer.content.decode()
    assert answer.status_code == 200
    assert 'href="/timetable/"' in page and 'href="/homework/"' in page
    portal = Client(HTTP_HOST=host_of(None)).get("/offline/").content.decode()
    assert 'href="/timetable/"' not in portal


def test_a_person_midway_through_the_second_factor_still_gets_the_app_files(school_a):
    from tests.identity.helpers import with_authenticator

    head = member(school_a, Role.HEAD)
    with_authenticator(head)
    client = Client(HTTP_HOST=host_of(school_a))
    client.force_login(head)
    for path in ("/manifest.webmanifest", "/sw.js", "/offline/"):
        assert client.get(path).status_code == 200, path
