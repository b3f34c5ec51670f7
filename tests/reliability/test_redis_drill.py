"""Fault drill: Redis stopped and started again (empty: it keeps nothing on disk) under load.

Real processes: a redis-server of the drill's own, gunicorn serving the platform and a Celery
worker both pointed at it, PostgreSQL. A signed-in teacher loads a page and the API throughout:
while Redis is away every answer is still a 200 (sessions are read from PostgreSQL, caches miss
and pages compute), and after the restart the same session is still signed in. The worker is busy
with one publication (held by a row lock of the test) while a second waits in the queue; the
restart loses the waiting message (nothing on disk), the worker reconnects and finishes the
first, and the reaper sends the second again: both are made, nothing is lost.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from kombu.exceptions import OperationalError as BrokerUnreachable

from mbn_platform.config.celery import app
from mbn_platform.kernel.errors import DatabaseUnavailable, as_application_error
from tenant_apps.reportcards.models import Publication, PublicationStatus, ReportCard
from tenant_apps.reportcards.reaper import QUEUED_LEASE
from tenant_apps.reportcards.tasks import publication_run_task, publications_reap_task
from tests.perf.http_load import free_port, gunicorn
from tests.reliability.load_loop import Answers, load_loop, signed_in_teacher, wait_for
from tests.reliability.redis_server import RedisServer, redis_server
from tests.reliability.report_card_world import ClassWorld, report_card_class, row_lock
from tests.reliability.workers import backend_waiting_on_a_lock, database_url, until, workers

pytestmark = pytest.mark.worker

PAGES = ("/", "/api/v1/establishment/")


@dataclass
class Drill:
    redis: RedisServer
    port: int
    host: str
    cookie: str
    world: ClassWorld


@pytest.fixture
def drill(committed_db: None, tmp_path: Path) -> Iterator[Drill]:
    with (
        redis_server(tmp_path) as server,
        report_card_class(2) as world,
        signed_in_teacher("drill-redis-teacher") as (host, cookie),
        gunicorn(
            "mbn_platform.config.wsgi:application",
            env={"DATABASE_URL": database_url(), "MBN_ENV": "test", "REDIS_URL": server.url},
            workers=2,
        ) as port,
    ):
        yield Drill(server, port, host, cookie, world)


def _send(drill: Drill, task: object, args: tuple[int, ...], *, queue: str, schema: str | None) -> None:
    """Queue a task in the drill's Redis (the test process's own broker is another one)."""
    with app.connection_for_write(drill.redis.url) as conn:
        if schema is None:
            task.apply_async(args, queue=queue, connection=conn)  # type: ignore[attr-defined]
        else:
            with schema_context(schema):
                task.apply_async(args, queue=queue, connection=conn)  # type: ignore[attr-defined]


def test_redis_restarted_under_load_users_stay_signed_in_and_no_queued_work_is_lost(
    drill: Drill, tmp_path: Path
) -> None:
    world, schema = drill.world, drill.world.school.schema_name
    first, second = world.publication(world.periods[0]), world.publication(world.periods[1])
    queue = f"mbn-drill-{uuid.uuid4().hex[:8]}"

    def status(publication: Publication) -> str:
        with schema_context(schema):
            return Publication.objects.get(pk=publication.pk).status

    loads = [
        load_loop(drill.port, host=drill.host, path=path, cookie=drill.cookie, threads=2) for path in PAGES
    ]
    blocker: psycopg.Connection[Any] | None = None
    try:
        with (
            workers(queue, tmp_path / "workers.log", {"REDIS_URL": drill.redis.url}) as start,
            loads[0] as page,
            loads[1] as api,
        ):
            start()
            wait_for(page, more=10), wait_for(api, more=10)
            # The worker busy with the first publication (the test holds its first student's row),
            # the second waiting in the queue.
            blocker = row_lock(world.students[0], schema)
            _send(drill, publication_run_task, (first.pk,), queue=queue, schema=schema)
            until(
                lambda: status(first) == PublicationStatus.RUNNING and backend_waiting_on_a_lock(),
                what="busy",
            )
            _send(drill, publication_run_task, (second.pk,), queue=queue, schema=schema)
            assert drill.redis.queued(queue) == 1

            drill.redis.stop()
            outage = _marks(page, api)
            wait_for(page, more=20), wait_for(api, more=20)
            during = _since(outage, page, api)
            drill.redis.start()  # the same port, empty
            assert drill.redis.queued(queue) == 0  # the waiting message is gone with it
            blocker.rollback()
            until(lambda: status(first) == PublicationStatus.DONE, what="the first publication")
            after = _marks(page, api)
            wait_for(page, more=20), wait_for(api, more=20)
            back = _since(after, page, api)

            # The second is still queued, its message lost; once its lease has passed the reaper
            # (run by the worker, as beat would) sends it again.
            assert status(second) == PublicationStatus.QUEUED
            with schema_context(schema):
                Publication.objects.filter(pk=second.pk).update(
                    enqueued_at=timezone.now() - QUEUED_LEASE - datetime.timedelta(minutes=1)
                )
            _send(drill, publications_reap_task, (), queue=queue, schema=None)
            until(lambda: status(second) == PublicationStatus.DONE, what="the second publication")
    finally:
        if blocker is not None:
            blocker.close()
        connection.set_schema_to_public()

    # No 500, no sign-in page: every answer a 200 during the outage and after it, same session.
    assert during and set(during) == {200}, during
    assert back and set(back) == {200}, back
    assert set(page.since(0)) | set(api.since(0)) == {200}
    assert page.retried == api.retried == 0
    with schema_context(schema):
        for publication in (first, second):
            made = ReportCard.objects.filter(publication=publication)
            assert sorted(made.values_list("student_id", flat=True)) == sorted(s.pk for s in world.students)


def _marks(*answers: Answers) -> list[int]:
    return [len(a.since(0)) for a in answers]


def _since(marks: list[int], *answers: Answers) -> list[int]:
    return [status for mark, a in zip(marks, answers, strict=True) for status in a.since(mark)]


def test_work_that_needs_the_broker_while_it_is_unreachable_is_a_503() -> None:
    """The one thing Redis is indispensable for: queueing a task. Publishing to a broker that
    does not answer fails (after kombu's retries) with an error the platform answers 503."""
    nowhere = f"redis://127.0.0.1:{free_port()}/0"
    with app.connection_for_write(nowhere) as conn, pytest.raises(BrokerUnreachable) as raised:
        publication_run_task.apply_async((1,), queue="mbn-nowhere", connection=conn, retry=False)
    assert isinstance(as_application_error(raised.value), DatabaseUnavailable)
