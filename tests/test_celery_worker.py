"""A task enqueued inside an establishment runs in that establishment's schema (real worker)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_tenants.utils import schema_context

from mbn_platform.tasks import whereami
from tests.conftest import SESSION_SCHOOLS

pytestmark = pytest.mark.worker


@pytest.fixture(scope="session")
def celery_queue(django_db_setup: None) -> Iterator[str]:
    """A real Celery worker on a queue of its own, against the test database."""
    queue = f"mbn-test-{uuid.uuid4().hex[:8]}"
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "CELERY_QUEUE": queue, "MBN_ENV": "test"}
    env["MBN_STATE_DIR"] = str(settings.CELERY_STATE_DIR)
    celery = str(Path(sys.executable).with_name("celery"))
    worker = subprocess.Popen(
        [
            celery,
            "-A",
            "mbn_platform",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        env=env,
    )
    try:
        yield queue
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


@pytest.mark.django_db(transaction=False)
def test_a_task_runs_in_the_schema_of_the_establishment_that_enqueued_it(celery_queue):
    from tenants.models import Establishment

    results = {}
    for key in SESSION_SCHOOLS:
        school = Establishment.objects.get(uai=SESSION_SCHOOLS[key][0])
        with schema_context(school.schema_name):
            results[school.schema_name] = whereami.apply_async(queue=celery_queue)
    connection.set_schema_to_public()
    public = whereami.apply_async(queue=celery_queue)

    for schema, result in results.items():
        assert result.get(timeout=60)["schema"] == schema
    assert public.get(timeout=60)["schema"] == "public"
