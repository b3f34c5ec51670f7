"""A database outage: people get a clear "service momentarily unavailable" answer (503 with
Retry-After; JSON with a registered code for the API), static files are still served, and the
platform recovers by itself when the database is back, with no restart.

Against real processes (tests/reliability/outage.py): gunicorn serving the platform, its database
connections relayed to the real PostgreSQL through a link the test cuts and restores; then every
backend terminated by the server. Nothing is mocked. The test commits only a session row.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings

from mbn_platform.kernel.error_codes import ErrorCode
from tests.perf.http_load import gunicorn
from tests.reliability.load_loop import signed_in_teacher
from tests.reliability.outage import DatabaseLink, backends_terminate, database_link


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Site:
    port: int
    link: DatabaseLink
    school_host: str
    cookie: str

    def get(self, path: str, *, host: str | None = None, signed_in: bool = True, **headers: str) -> Answer:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {"Host": host or self.school_host, **headers}
        if signed_in:
            sent["Cookie"] = self.cookie
        conn.request("GET", path, headers=sent)
        response = conn.getresponse()
        answer = Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        conn.close()
        return answer


@pytest.fixture
def site(committed_db: None) -> Iterator[Site]:
    db = settings.DATABASES["default"]
    with signed_in_teacher("outage-teacher") as (host, cookie), database_link() as link:
        url = f"postgres://{db['USER']}@127.0.0.1:{link.port}/{db['NAME']}"
        env = {"DATABASE_URL": url, "MBN_ENV": "test", "CONN_MAX_AGE": "60"}
        with gunicorn("mbn_platform.config.wsgi:application", env=env, workers=1) as port:
            yield Site(port, link, host, cookie)


def _unavailable(answer: Answer) -> None:
    assert answer.status == 503, answer.body[:300]
    assert int(answer.headers["retry-after"]) > 0


def test_during_an_outage_pages_and_api_answer_503_static_files_are_served_then_it_recovers(
    site: Site,
) -> None:
    portal = str(settings.MBN_BASE_DOMAIN)
    assert site.get("/").status == 200
    assert site.get("/", host=portal).status == 200

    site.link.cut()
    # A school's page: a clear page, no stack trace.
    page = site.get("/", **{"Accept-Language": "en"})
    _unavailable(page)
    assert page.headers["content-type"].startswith("text/html")
    assert b"momentarily unavailable" in page.body
    # In French by default.
    assert "momentanément indisponible" in site.get("/").body.decode()
    # The API: JSON with a registered error code (an answer that reads the database: the
    # establishment's summary, wholly cached since issue 14, may still be served).
    api = site.get("/api/v1/timetable/week/", Accept="application/json")
    _unavailable(api)
    assert api.json()["error"]["code"] == ErrorCode.UNAVAILABLE
    # A signed-in person on the portal (the session lives in the database).
    _unavailable(site.get("/", host=portal))
    # Static files need no database, on a school's host and on the portal.
    for host in (site.school_host, portal):
        static = site.get("/static/mbn/css/mbn.css", host=host)
        assert static.status == 200 and b"body" in static.body
        assert site.get("/static/mbn/css/missing.css", host=host).status == 404
    assert site.get("/readyz").status == 503

    # The database is back: the very next requests succeed, nothing restarted.
    site.link.restore()
    assert site.get("/").status == 200
    assert site.get("/api/v1/establishment/").status == 200
    assert site.get("/", host=portal).status == 200
    assert site.get("/readyz").status == 200

    # Every backend terminated by the server (a failover, a restart): the next request reconnects.
    assert backends_terminate() >= 1
    assert site.get("/api/v1/establishment/").status == 200
    assert site.get("/", host=portal).status == 200
