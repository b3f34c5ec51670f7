"""Fault drills under load, against gunicorn and the real PostgreSQL: every backend terminated
(the requests in flight answer 503, the next ones succeed), a web worker killed (its in-flight
request is retried by the client and succeeds; gunicorn replaces the worker)."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.perf.http_load import gunicorn
from tests.reliability.load_loop import gunicorn_workers, load_loop, signed_in_teacher, wait_for
from tests.reliability.outage import backends_terminate
from tests.reliability.workers import database_url, until

WORKERS = 2
PATH = "/api/v1/establishment/"


@dataclass
class Served:
    port: int
    host: str
    cookie: str


@pytest.fixture
def served(committed_db: None) -> Iterator[Served]:
    env = {"DATABASE_URL": database_url(), "MBN_ENV": "test", "CONN_MAX_AGE": "60"}
    with (
        signed_in_teacher("drill-web-teacher") as (host, cookie),
        gunicorn("mbn_platform.config.wsgi:application", env=env, workers=WORKERS) as port,
    ):
        yield Served(port, host, cookie)


def test_every_backend_terminated_under_load_in_flight_requests_get_503_the_next_succeed(
    served: Served,
) -> None:
    with load_loop(served.port, host=served.host, path=PATH, cookie=served.cookie) as answers:
        wait_for(answers, more=20)
        mark = len(answers.since(0))
        assert backends_terminate() >= 1
        wait_for(answers, more=40)
        after = answers.since(mark)
    # Only requests in flight at that moment fail, as 503 (never a 500, never a reset).
    assert set(after) <= {200, 503}, after
    assert after.count(503) <= WORKERS
    assert after[-20:] == [200] * 20
    assert answers.retried == 0


def test_a_web_worker_killed_under_load_its_request_is_retried_and_a_new_worker_serves(
    served: Served,
) -> None:
    before = gunicorn_workers(served.port)
    assert len(before) == WORKERS
    with load_loop(served.port, host=served.host, path=PATH, cookie=served.cookie) as answers:
        wait_for(answers, more=20)
        os.kill(before[0], signal.SIGKILL)
        replaced = until(
            lambda: (lambda now: now if len(now) == WORKERS and before[0] not in now else None)(
                gunicorn_workers(served.port)
            ),
            what="gunicorn's new worker",
        )
        wait_for(answers, more=40)
    assert set(replaced) - set(before)
    # Every request answered 200: the one the killed worker held was retried by its client.
    assert set(answers.since(0)) == {200}
    assert answers.retried <= 1
