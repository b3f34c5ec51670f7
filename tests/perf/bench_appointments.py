"""Booking throughput when 500 guardians open the same parent-teacher evening at once (issue:
appointments): the platform served by gunicorn on loopback, driven by a load generator of one
thread and one keep-alive connection per guardian, all released together. Each guardian reads
their child's teachers and slots (the evening's API), books a free slot at random, and on a 409
(someone was faster) reads again and tries another, three times at most.

Printed: bookings per second, the p95 of a booking request, and the double bookings found in
the database afterwards (must be 0: no slot held twice, no guardian in two places at once).
The baseline, in the same run: the same guardians only reading the evening (bookings/s over
reads/s, p95 over p95). MBN_BENCH_GUARDIANS sets the number of guardians (500)."""

from __future__ import annotations

import http.client
import json
import os
import random
import secrets
import statistics
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django_tenants.utils import tenant_context

from tenant_apps.school.models import Member
from tenants.models import Establishment
from tests.appointments.committed import committed_evening
from tests.conftest import SESSION_SCHOOLS, host_of
from tests.connectors.helpers import issued_token, registered_app
from tests.perf.http_load import gunicorn

pytestmark = pytest.mark.perf
GUARDIANS = int(os.environ.get("MBN_BENCH_GUARDIANS", "500"))
TEACHERS = 10  # 16:00 to 20:00, 5-minute slots: 48 slots each
TRIES = 3


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)  # booking requests, ms
    reads: list[float] = field(default_factory=list)  # reading the evening, ms
    booked: int = 0
    refused: int = 0
    errors: int = 0
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _request(
    conn: http.client.HTTPConnection, method: str, path: str, headers: dict[str, str], body: object = None
) -> tuple[int, object, float]:
    start = time.perf_counter()
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    payload = response.read()
    elapsed = (time.perf_counter() - start) * 1000
    return response.status, json.loads(payload) if payload else None, elapsed


def _guardian(
    port: int,
    host: str,
    token: str,
    evening_id: int,
    child_id: int,
    book: bool,
    run: Run,
    barrier: threading.Barrier,
    seed: int,
) -> None:
    headers = {"Host": host, "Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    rng = random.Random(seed)  # noqa: S311 - a benchmark's choice of slot
    try:
        barrier.wait(timeout=120)
        for _attempt in range(TRIES if book else 1):
            status, teachers, read_ms = _request(
                conn, "GET", f"/api/v1/appointments/evenings/{evening_id}/children/{child_id}/", headers
            )
            with run.lock:
                run.reads.append(read_ms)
            if status != 200:
                with run.lock:
                    run.errors += 1
                return
            if not book:
                return
            free = [s["id"] for t in teachers for s in t["slots"] if not s["taken"]]  # type: ignore[union-attr]
            if not free:
                return
            status, _body, ms = _request(
                conn,
                "POST",
                "/api/v1/appointments/bookings/",
                headers,
                {"slot_id": rng.choice(free), "child_id": child_id},
            )
            with run.lock:
                run.latencies.append(ms)
                if status == 201:
                    run.booked += 1
                elif status == 409:
                    run.refused += 1
                else:
                    run.errors += 1
            if status != 409:
                return
    except OSError:
        with run.lock:
            run.errors += 1
    finally:
        conn.close()


def _drive(port: int, host: str, people: list[tuple[str, int]], evening_id: int, *, book: bool) -> Run:
    run = Run()
    barrier = threading.Barrier(len(people))
    threads = [
        threading.Thread(target=_guardian, args=(port, host, token, evening_id, child, book, run, barrier, n))
        for n, (token, child) in enumerate(people)
    ]
    for thread in threads:
        thread.start()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    run.seconds = time.perf_counter() - start
    return run


def _serial_reads(port: int, host: str, person: tuple[str, int], evening_id: int, rounds: int = 20) -> float:
    """The median time of reading the evening alone (one guardian, one request at a time), ms."""
    token, child = person
    headers = {"Host": host, "Authorization": f"Bearer {token}"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    path = f"/api/v1/appointments/evenings/{evening_id}/children/{child}/"
    times = [_request(conn, "GET", path, headers)[2] for _ in range(rounds)]
    conn.close()
    return statistics.median(times[2:])


def _p95(values: list[float]) -> float:
    ordered = sorted(values) or [0.0]
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def _double_bookings(evening_id: int) -> tuple[int, int]:
    """(slots held twice, guardians with two overlapping appointments), counted in SQL."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT slot_id FROM appointments_booking WHERE status = 'booked' "
            "GROUP BY slot_id HAVING count(*) > 1) AS twice"
        )
        twice = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM appointments_booking a JOIN appointments_slot sa ON sa.id = a.slot_id "
            "JOIN appointments_booking b ON b.guardian_id = a.guardian_id AND b.id > a.id "
            "JOIN appointments_slot sb ON sb.id = b.slot_id "
            "WHERE a.status = 'booked' AND b.status = 'booked' AND sa.evening_id = %s "
            "AND sa.starts_at < sb.ends_at AND sb.starts_at < sa.ends_at",
            [evening_id],
        )
        overlapping = cursor.fetchone()[0]
    return int(twice), int(overlapping)


def test_500_guardians_open_the_same_evening_at_once(committed_db, bench_report):
    school = Establishment.objects.get(uai=SESSION_SCHOOLS["school_b"][0])
    with committed_evening(
        school, families=GUARDIANS, teachers=TEACHERS, start=16, end=20, slot_minutes=5
    ) as setup:
        # API tokens as the MBN app's sign-in issues them (shared_apps/connectors), one per guardian.
        connected, _secret = registered_app(establishments=[school], name=f"Bench {secrets.token_hex(3)}")
        tokens = {g.pk: issued_token(g, connected, expires_in=timedelta(hours=1)) for g in setup.guardians}
        people = [(tokens[g.pk], c.pk) for g, c in zip(setup.guardians, setup.children, strict=True)]
        db = settings.DATABASES["default"]
        env = {
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "MBN_ENV": "test",
            "API_THROTTLE_USER": "100000/minute",
        }
        host = host_of(school)
        with gunicorn("mbn_platform.config.wsgi", env=env, host=host, workers=4) as port:
            serial = _serial_reads(port, host, people[0], setup.evening.pk)
            baseline = _drive(port, host, people, setup.evening.pk, book=False)
            run = _drive(port, host, people, setup.evening.pk, book=True)
        with tenant_context(school):
            twice, overlapping = _double_bookings(setup.evening.pk)
            held = Member.objects.filter(
                appointment_bookings__slot__evening=setup.evening, appointment_bookings__status="booked"
            ).count()
        reads_per_second = len(baseline.reads) / baseline.seconds
        bookings_per_second = run.booked / run.seconds
        bench_report(
            f"appointments: {GUARDIANS} guardians open one evening at once ({len(setup.slot_ids)} slots, "
            f"{TEACHERS} teachers): {run.booked} booked, {run.refused} refused (409: taken), "
            f"{bookings_per_second:.0f} bookings/s, booking p95 {_p95(run.latencies):.0f} ms, "
            f"{twice + overlapping} double bookings in the database; baseline (reading the evening only): "
            f"{reads_per_second:.0f} reads/s, p95 {_p95(baseline.reads):.0f} ms "
            f"(bookings/s over reads/s {bookings_per_second / reads_per_second:.2f}, "
            f"p95 ratio {_p95(run.latencies) / max(_p95(baseline.reads), 0.1):.2f}; median booking "
            f"{statistics.median(run.latencies or [0]):.0f} ms; one read alone {serial:.0f} ms)"
        )
        assert twice == 0 and overlapping == 0
        assert run.errors == 0 and baseline.errors == 0
        assert held == run.booked > 0
