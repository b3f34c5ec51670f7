"""An académie's complete AAF set at region scale: 100 establishments, ~50,000 people (240
students, 240 guardians and 20 staff each), read, planned and applied by the feed, then the same
people again in a later complete set (nothing to change). Timed against a baseline measured in the
same run: a plain ``bulk_create`` of as many ``User`` rows. Prints; not a timed test.

MBN_BENCH_AAF_ESTABLISHMENTS sets the number of establishments: `make bench` uses 100, `make test`
a sample of 3. The establishments stay in the test database until the end of the session (the
benchmarks run last, see tests/perf/conftest.py); the activation e-mails the import queues go to a
queue of this benchmark's own, purged after it.
"""

from __future__ import annotations

import os
import time
import uuid
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test import override_settings

from mbn_platform.config.celery import app
from shared_apps.directory.aaf.feeds import aaf_feed_create
from shared_apps.directory.aaf.runs import aaf_feed_run
from shared_apps.directory.models import FeedRunStatus
from shared_apps.identity.models import User
from tenants.models import Establishment
from tenants.provisioning.jobs import establishment_create
from tenants.uai import uai_check_letter
from tests.directory.aaf_data import Agent, Etab, Pupil, Relative, complete_set, drop

pytestmark = pytest.mark.perf

ESTABLISHMENTS = int(os.environ.get("MBN_BENCH_AAF_ESTABLISHMENTS", "100"))
STUDENTS, STAFF = 240, 20  # and one guardian a student (siblings share two)
CLASSES = ("6A", "6B", "5A", "5B", "4A", "4B", "3A", "3B")


def _establishments(academie: str) -> list[Establishment]:
    made = []
    for n in range(ESTABLISHMENTS):
        digits = f"068{8000 + n:04d}"  # clear of the region generator's 5000+ (bench_provisioning.py)
        made.append(
            establishment_create(
                actor=None,
                uai=digits + uai_check_letter(digits),
                name=f"Collège Banc {n}",
                kind="college",
                academie=academie,
                departement="68",
                subdomain=f"banc-{n}-{academie[-6:].lower()}",
            )
        )
    return made


def _region(schools: list[Establishment]) -> tuple[list[Etab], list[Pupil], list[Relative], list[Agent]]:
    etabs, pupils, relatives, agents = [], [], [], []
    for n, school in enumerate(schools):
        sid = f"B{n}"
        etabs.append(Etab(sid, school.uai, school.name, list(CLASSES)))
        for k in range(STUDENTS):
            family = f"F{n}-{k // 2}"  # two siblings per family, two guardians each
            pupils.append(
                Pupil(
                    f"E{n}-{k}",
                    f"Famille{n}x{k // 2}",
                    f"Enfant{k % 2}",
                    sid,
                    CLASSES[k % len(CLASSES)],
                    ine=f"{n:04d}{k:05d}BN",
                    birth=f"{1 + k % 28:02d}/{1 + k % 12:02d}/20{11 + k % 4}",
                    relations=[f"{family}a$1$0$1$0$0", f"{family}b$1$0$1$0$0"],
                )
            )
        for k in range(STUDENTS // 2):
            for side in "ab":
                relatives.append(Relative(f"F{n}-{k}{side}", f"Famille{n}x{k}", f"Parent{side}"))
        for k in range(STAFF):
            code = "DIR" if k == 0 else ("EDU" if k == 1 else "ENS")
            agents.append(
                Agent(f"P{n}-{k}", f"Agent{n}x{k}", "Prof", [(sid, code)], email=f"agent{n}.{k}@example.org")
            )
    return etabs, pupils, relatives, agents


def _baseline(count: int) -> float:
    """A plain bulk_create of ``count`` users (rolled back)."""
    password = make_password(None)
    users = [
        User(login=f"banc{n}", first_name="A", last_name=f"B{n}", password=password) for n in range(count)
    ]
    start = time.perf_counter()
    with transaction.atomic():
        User.objects.bulk_create(users, batch_size=1000)
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    return elapsed


def test_a_complete_aaf_set_of_a_whole_academie_then_a_no_change_run(committed_db, bench_report, tmp_path):
    academie = f"Banc {uuid.uuid4().hex[:6]}"
    queue = f"mbn-bench-aaf-{uuid.uuid4().hex[:6]}"
    schools = _establishments(academie)
    etabs, pupils, relatives, agents = _region(schools)
    people = len(pupils) + len(relatives) + len(agents)
    baseline = min(_baseline(people) for _ in range(3))
    folder = tmp_path / "banc"
    with override_settings(AAF_FEEDS_ROOT=tmp_path, CELERY_TASK_DEFAULT_QUEUE=queue):
        try:
            feed = aaf_feed_create(actor=None, academie=academie, location="banc")
            drop(folder, complete_set("20250901", etabs, pupils, relatives, agents))
            start = time.perf_counter()
            [first] = aaf_feed_run(feed_id=feed.pk)
            first_s = time.perf_counter() - start
            assert first.status == FeedRunStatus.APPLIED, (first.errors, first.notes)
            assert first.counts["created"] == people and first.counts["applied"] == ESTABLISHMENTS

            drop(folder, complete_set("20251001", etabs, pupils, relatives, agents))
            start = time.perf_counter()
            [again] = aaf_feed_run(feed_id=feed.pk)
            again_s = time.perf_counter() - start
            assert again.status == FeedRunStatus.APPLIED
            assert again.counts["created"] == again.counts["updated"] == again.counts["departed"] == 0
        finally:
            _purge(queue)
    bench_report(
        f"AAF complete set of {ESTABLISHMENTS} establishments ({people} people): {first_s:.1f} s = "
        f"{first_s / baseline:.0f}x a bulk_create of {people} users ({baseline * 1000:.0f} ms); "
        f"the same set again (no change): {again_s:.1f} s = {again_s / baseline:.0f}x"
    )


def _purge(queue: str) -> Any:
    with app.connection_for_write() as connection:
        try:
            return connection.default_channel.queue_purge(queue)
        except Exception:
            return 0
