"""Importing a whole establishment's directory: 1,500 students, 3,000 guardians, 150 staff.

Preview + apply (the task's work) of the CSV export, timed against a baseline measured in the
same run: a plain ``bulk_create`` of as many ``User`` rows as the import creates people. A second
import of the same files (nothing to change) is timed too. Prints the ratios and the absolute
times; not a timed test.
"""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.hashers import make_password
from django.db import transaction

from shared_apps.directory.import_run import directory_import_run
from shared_apps.directory.models import ImportStatus
from shared_apps.directory.services import directory_import_preview
from shared_apps.identity.models import User
from tests.directory.data import Guardian, Staff, Student, csv_files

pytestmark = pytest.mark.perf

STUDENTS, GUARDIANS_PER_STUDENT, STAFF = 1500, 2, 150
LEVELS = ("6e", "5e", "4e", "3e")


def _directory() -> tuple[list[Student], list[Guardian], list[Staff]]:
    students = [
        Student(
            f"E{n}",
            f"Nom{n}",
            f"Élève{n % 97}",
            f"20{10 + n % 4}-{1 + n % 12:02d}-{1 + n % 28:02d}",
            f"{LEVELS[n % 4]} {chr(65 + (n // 4) % 15)}",  # 60 classes of 25
            ine=f"{n:09d}BN",
        )
        for n in range(STUDENTS)
    ]
    guardians = [
        Guardian(
            f"P{n}-{k}",
            f"Nom{n}",
            f"Parent{k}",
            f"parent{k}.{n}@example.org",
            [(f"E{n}", 1 if k == 0 else 2, k == 0)],
        )
        for n in range(STUDENTS)
        for k in range(GUARDIANS_PER_STUDENT)
    ]
    staff = [
        Staff(f"S{n}", f"Prof{n}", f"Agent{n}", "ENS" if n % 10 else "ENS|DIR", f"staff{n}@example.org")
        for n in range(STAFF)
    ]
    return students, guardians, staff


def _baseline(count: int) -> float:
    """A plain bulk_create of ``count`` users (rolled back)."""
    password = make_password(None)
    users = [
        User(login=f"baseline{n}", first_name="A", last_name=f"B{n}", password=password) for n in range(count)
    ]
    start = time.perf_counter()
    with transaction.atomic():
        User.objects.bulk_create(users, batch_size=1000)
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    return elapsed


def test_directory_import_of_a_whole_establishment(school_b, bench_report):
    students, guardians, staff = _directory()
    files = csv_files(school_b.uai, students, guardians, staff)
    people = len(students) + len(guardians) + len(staff)
    baseline = min(_baseline(people) for _ in range(3))

    start = started = time.perf_counter()
    preview = directory_import_preview(actor=None, establishment=school_b, files=files)
    previewed = time.perf_counter()
    applied = directory_import_run(preview.pk)
    first = time.perf_counter() - start
    assert applied.status == ImportStatus.APPLIED, applied.errors
    assert applied.counts["created"] == people

    start = time.perf_counter()
    again = directory_import_run(directory_import_preview(actor=None, establishment=school_b, files=files).pk)
    second = time.perf_counter() - start
    assert again.counts["unchanged"] == people

    bench_report(
        f"directory import of {len(students)} students, {len(guardians)} guardians, "
        f"{len(staff)} staff: "
        f"{first:.2f} s (preview {previewed - started:.2f} s) = {first / baseline:.0f}x a bulk_create of "
        f"{people} users ({baseline * 1000:.0f} ms); "
        f"re-import of the same files (no change): {second:.2f} s = {second / baseline:.0f}x"
    )
    assert first > 0 and second > 0
