"""Report-card day: publishing, then serving, an establishment's report cards.

1. **Publication**: an establishment of ``MBN_BENCH_REPORT_CARD_STUDENTS`` students (60 in
   `make test`, 1,200 in `make bench`) in classes of 30, eight subjects, three graded assessments
   per subject; every class's report cards are published by one worker process (the Celery
   task's own function, in this process): prints PDFs per second per worker.
2. **Serving**: the platform under gunicorn (2 sync workers, as production) on loopback. All at
   once: guardians **sign in** (the login form's page, then its POST: no second factor for
   guardians; their passwords hashed with the production hasher, scrypt, which the server checks:
   ``tests/perf/signin_settings.py``), open the family view, their child's report-card list and
   latest report card (the stored PDF, streamed: never made again), round after round, each round
   a new session (``sign_in_load.py``, Python threads); meanwhile other guardians, signed in
   beforehand, browse their child's grades and fetch the report card through the API (wrk).
   Then a bare Django view served the same way, driven by each generator, for the baselines.
   Prints, per step and per load, requests per second, p50 and p95 latency and errors (asserted
   0), the sign-in's figures on their own line with their ratio to the bare view. Not a timed test.
"""

from __future__ import annotations

import datetime
import http.client
import itertools
import os
import threading
import time
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.hashers import ScryptPasswordHasher
from django.db import connection
from django_tenants.utils import schema_context

from shared_apps.identity.models import User
from shared_apps.identity.roles import Role
from shared_apps.identity.services import guardian_link_create
from tenant_apps.grades.models import Assessment, Grade
from tenant_apps.reportcards.generation import publication_run
from tenant_apps.reportcards.models import Publication, ReportCard
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Period, SchoolYear, Subject
from tenants.models import EstablishmentKind
from tenants.provisioning.jobs import establishment_create
from tenants.uai import uai_check_letter
from tests.conftest import client_for, host_of
from tests.factories import PASSWORD, member
from tests.perf.http_load import LoadResult, gunicorn, load, threads_load
from tests.perf.sign_in_load import SIGN_IN, SIGN_IN_PAGE, Person, sign_in_load

pytestmark = pytest.mark.perf

STUDENTS = int(os.environ.get("MBN_BENCH_REPORT_CARD_STUDENTS", "60"))
PER_CLASS = 30
SUBJECTS = 8
GUARDIANS = 8
SECONDS = float(os.environ.get("MBN_BENCH_LOAD_SECONDS", "5"))
_ids = itertools.count(70_000_000)


def _school(tag: str):
    digits = f"068{int(tag[:4], 16) % 10000:04d}"
    school = establishment_create(
        actor=None,
        uai=digits + uai_check_letter(digits),
        name=f"Lycée Bulletin {tag}",
        kind=EstablishmentKind.LYCEE,
        academie="Strasbourg",
        departement="68",
        subdomain=f"bulletin{tag}",
    )
    classes = [f"B{n:02d}" for n in range((STUDENTS + PER_CLASS - 1) // PER_CLASS)]
    with schema_context(school.schema_name):
        for name in classes:
            SchoolClass.objects.create(name=name, level="1re")
    # Real accounts for the families who sign in; the other students are local rows only.
    children = [member(school, Role.STUDENT, class_name=classes[n % len(classes)]) for n in range(GUARDIANS)]
    guardians = [member(school, Role.GUARDIAN) for _ in children]
    for guardian, child in zip(guardians, children, strict=True):
        guardian_link_create(actor=None, guardian=guardian, child=child)
    with schema_context(school.schema_name):
        year = SchoolYear.objects.create(
            name="B",
            start=datetime.date(2026, 8, 31),
            end=datetime.date(2027, 7, 3),
            week_a_monday=datetime.date(2026, 8, 31),
        )
        period = Period.objects.create(
            year=year, name="Trimestre 1", kind="trimester", start=year.start, end=datetime.date(2026, 11, 30)
        )
        rows = {c.name: c for c in SchoolClass.objects.all()}
        Member.objects.bulk_create(
            Member(
                user_id=next(_ids),
                display_name=f"Élève {n:04d}",
                roles=[Role.STUDENT],
                school_class=rows[classes[n % len(classes)]],
            )
            for n in range(STUDENTS - GUARDIANS)
        )
        teacher = Member.objects.create(
            user_id=next(_ids), display_name="Prof Bulletin", roles=[Role.TEACHER]
        )
        subjects = [Subject.objects.create(code=f"S{n}", name=f"Matière {n}") for n in range(SUBJECTS)]
        assessments = Assessment.objects.bulk_create(
            Assessment(
                title=f"Devoir {k}",
                date=period.start + datetime.timedelta(days=20 * (k + 1)),
                subject=subject,
                period=period,
                school_class=school_class,
                teacher=teacher,
                coefficient=Decimal(k + 1),
                published_on=period.start + datetime.timedelta(days=20 * (k + 1) + 2),
            )
            for school_class in rows.values()
            for subject in subjects
            for k in range(3)
        )
        students_of: dict[int, list[int]] = {}
        for pk, class_id in Member.objects.filter(roles__contains=[Role.STUDENT]).values_list(
            "pk", "school_class_id"
        ):
            students_of.setdefault(class_id, []).append(pk)
        Grade.objects.bulk_create(
            Grade(assessment=a, student_id=s, value=Decimal((s * 7 + a.pk * 3) % 41) / 2)
            for a in assessments
            for s in students_of[a.school_class_id]  # type: ignore[index]
        )
        publications = [
            Publication.objects.create(
                period=period, school_class=c, published_on=period.end, requested_by=teacher
            )
            for c in rows.values()
        ]
    return school, period, publications, children, guardians


def _get(port: int, path: str, headers: dict[str, str]) -> int:
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    client.request("GET", path, headers=headers)
    response = client.getresponse()
    response.read()
    client.close()
    return response.status


def _both(runs: list[tuple[str, dict[str, str]]], port: int, connections: int) -> list[LoadResult]:
    """Several loads at once (the guardians' mix), each on its own connections."""
    results: list[LoadResult | None] = [None] * len(runs)

    def drive(i: int, path: str, headers: dict[str, str]) -> None:
        results[i] = load(
            f"http://127.0.0.1:{port}{path}", headers=headers, seconds=SECONDS, connections=connections
        )

    threads = [threading.Thread(target=drive, args=(i, p, h)) for i, (p, h) in enumerate(runs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [r for r in results if r is not None]


def _scrypt(guardians: list[Any]) -> None:
    """The production hasher's hashes for the guardians who sign in (the tests' is MD5)."""
    hasher = ScryptPasswordHasher()
    for guardian in guardians:
        User.objects.filter(pk=guardian.pk).update(password=hasher.encode(PASSWORD, hasher.salt()))


def _serve(
    env: dict[str, str], host: str, people: list[Person], runs: list[tuple[str, dict[str, str]]]
) -> tuple[dict[str, LoadResult], list[LoadResult]]:
    """The platform: the signing-in guardians' rounds and the others' loads, all at once."""
    flows: dict[str, LoadResult] = {}
    with gunicorn("mbn_platform.config.wsgi", env=env, host=host, workers=2) as port:
        for path, headers in runs:  # warm the workers; each answers
            for _ in range(3):
                status = _get(port, path, headers)
                assert status == 200, (path, status)
        warm = sign_in_load(port, people, seconds=1, connections=2)
        assert all(r.errors == 0 and r.requests > 0 for r in warm.values()), {
            name: r.line() for name, r in warm.items()
        }

        def sign_ins() -> None:
            flows.update(sign_in_load(port, people, seconds=SECONDS, connections=4))

        thread = threading.Thread(target=sign_ins)
        thread.start()
        others = _both(runs, port, connections=4)
        thread.join()
    return flows, others


def test_report_card_day(django_db_setup, django_db_blocker, bench_report):
    tag = uuid.uuid4().hex[:6]
    with django_db_blocker.unblock():
        school, period, publications, children, guardians = _school(tag)
        with schema_context(school.schema_name):
            started = time.perf_counter()
            made = sum(publication_run(publication_id=p.pk) for p in publications)
            seconds = time.perf_counter() - started
            assert made == STUDENTS == ReportCard.objects.count()
            cards = {c.student.user_id: c for c in ReportCard.objects.select_related("student")}
            stored = {c.pk: (c.file, c.version) for c in cards.values()}
        bench_report(
            f"report cards: {STUDENTS} students published in {seconds:.1f} s by one worker, "
            f"{STUDENTS / seconds:.1f} PDFs per second per worker"
        )
        host = host_of(school)
        half = GUARDIANS // 2
        signing_in = guardians[:half]
        _scrypt(signing_in)
        sessions = {g.pk: client_for(g, school).cookies["sessionid"].value for g in guardians[half:]}
        connection.set_schema_to_public()
    portal = str(settings.MBN_BASE_DOMAIN)
    people = [
        Person(
            login=guardian.login,
            password=PASSWORD,
            host=portal,
            pages=[
                ("family view", "/", portal),
                ("report-card list", "/reportcards/", host),
                ("report card (PDF)", f"/reportcards/{cards[child.pk].pk}/pdf/", host),
            ],
        )
        for guardian, child in zip(signing_in, children[:half], strict=True)
    ]
    db = settings.DATABASES["default"]
    env = {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "MBN_ENV": "test",
        "MBN_BASE_DOMAIN": portal,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DJANGO_SETTINGS_MODULE": "tests.perf.signin_settings",
    }
    browsing = list(zip(guardians[half:], children[half:], strict=True))
    runs = [
        (
            f"/grades/students/{browsing[0][1].pk}/?period={period.pk}",
            {"Host": host, "Cookie": f"sessionid={sessions[browsing[0][0].pk]}"},
        ),
        (
            f"/api/v1/reportcards/{cards[browsing[1][1].pk].pk}/pdf/",
            {"Host": host, "Cookie": f"sessionid={sessions[browsing[1][0].pk]}"},
        ),
    ]
    flows, others = _serve(env, host, people, runs)
    with gunicorn(
        "tests.perf.bare_project.wsgi",
        env={"DJANGO_SETTINGS_MODULE": "tests.perf.bare_project.settings"},
        workers=2,
    ) as port:
        bare = load(
            f"http://127.0.0.1:{port}/", headers={"Host": "localhost"}, seconds=SECONDS, connections=16
        )
        bare_threads = _bare_threads(port)
    for name, result in flows.items():
        bench_report(f"report-card day, signing-in guardians, {name}: {result.line()} ({result.tool})")
    for name, result in zip(["a child's grades", "report card (API)"], others, strict=True):
        bench_report(f"report-card day, signed-in guardians, {name}: {result.line()} ({result.tool})")
    bench_report(f"report-card day, bare Django view: {bare.line()} ({bare.tool})")
    bench_report(f"report-card day, bare Django view: {bare_threads.line()} ({bare_threads.tool})")
    sign_in = flows[SIGN_IN]
    bench_report(
        f"report-card day, sign-in under load: {sign_in.requests_per_second:,.1f} sign-ins/s, "
        f"p50 {sign_in.p50_ms:.1f} ms, p95 {sign_in.p95_ms:.1f} ms, {sign_in.errors} errors; "
        f"{sign_in.requests_per_second / bare_threads.requests_per_second:.5f} of the bare view's "
        f"throughput, p95 {sign_in.p95_ms / bare_threads.p95_ms:.1f} times the bare view's (same client)"
    )
    everything = [*flows.values(), *others]
    total = sum(r.requests_per_second for r in everything)
    bench_report(
        f"report-card day: {total:,.1f} req/s together, "
        f"{total / bare.requests_per_second:.4f} of the bare view's throughput (wrk); "
        f"worst p95 {max(r.p95_ms for r in everything):.1f} ms vs {bare.p95_ms:.1f} ms"
    )
    assert all(r.errors == 0 and r.requests > 0 for r in everything), [r.line() for r in everything]
    assert flows[SIGN_IN_PAGE].requests >= sign_in.requests > 0
    assert bare.errors == 0 == bare_threads.errors and bare.requests > 0 < bare_threads.requests
    with django_db_blocker.unblock():
        # Each sign-in was one (password, scrypt: not rehashed); serving never made a card again.
        assert all(
            u.password.startswith("scrypt$") for u in User.objects.filter(pk__in=[g.pk for g in signing_in])
        )
        with schema_context(school.schema_name):
            assert {c.pk: (c.file, c.version) for c in ReportCard.objects.all()} == stored
    connection.set_schema_to_public()


def _bare_threads(port: int) -> LoadResult:
    """The bare view driven by the sign-in's generator (Python threads), for its ratio."""
    return threads_load(f"http://127.0.0.1:{port}/", {"Host": "localhost"}, SECONDS, 4)
