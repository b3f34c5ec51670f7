"""The backup and restore drill: the whole database and the files, restored into an empty
database and an empty folder, match the backup per establishment (rows, fingerprints, files)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tenants.utils import schema_context

from mbn_platform.kernel.storage import EstablishmentFileSystemStorage
from tenants.backups import FILES, backup_create, backup_restore, backup_verify, scratch_database
from tenants.models import Establishment
from tenants.offboarding.schema_dumps import database_params
from tests.conftest import SESSION_SCHOOLS
from tests.reliability.workers import database_url


@pytest.fixture
def files(committed_db: None, settings: Any, tmp_path: Path) -> dict[str, Establishment]:
    """Each session school with files of its own (bytes of every value, a nested folder, an empty one)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "mbn_platform.kernel.storage.EstablishmentFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    storage = EstablishmentFileSystemStorage(location=tmp_path / "media")
    schools = {key: Establishment.objects.get(uai=uai) for key, (uai, *_rest) in SESSION_SCHOOLS.items()}
    for key, school in schools.items():
        with schema_context(school.schema_name):
            storage.save("homework/sheet.pdf", ContentFile(bytes(range(256)) * 40 + key.encode()))
            storage.save("support/screenshots/2026/12/1-a.png", ContentFile(b"\x89PNG" + key.encode()))
            storage.save("empty.txt", ContentFile(b""))
    return schools


def _drill_databases() -> set[str]:
    prefix = f"{database_params()['dbname'][:40]}_drill_"
    with psycopg.connect(database_url(), autocommit=True) as conn:
        names = {name for (name,) in conn.execute("SELECT datname FROM pg_database").fetchall()}
    return {name for name in names if name.startswith(prefix)}


def test_the_drill_restores_everything_into_an_empty_database_and_folder(
    files: dict[str, Establishment],
) -> None:
    before = _drill_databases()
    out = io.StringIO()

    call_command("backup_drill", stdout=out, stderr=io.StringIO())

    printed = out.getvalue()
    assert "everything matches" in printed, printed
    for school in files.values():
        line = next(line for line in printed.splitlines() if line.startswith(school.uai))
        assert school.schema_name in line and line.split()[-2:] == ["3", "ok"]
    assert "(region)" in printed
    assert _drill_databases() == before  # the scratch database is gone


def test_a_damaged_backup_is_caught_per_establishment_and_a_database_in_use_is_refused(
    files: dict[str, Establishment], tmp_path: Path
) -> None:
    from django.core.files.storage import default_storage

    records = backup_create(target=tmp_path / "backup", storage=default_storage)
    school = files["school_a"]
    damaged = tmp_path / "backup" / FILES / school.schema_name / "homework" / "sheet.pdf"
    damaged.write_bytes(damaged.read_bytes()[:-1] + b"!")
    name = f"{database_params()['dbname'][:40]}_drill_test"
    database = scratch_database(name)
    try:
        backup_restore(source=tmp_path / "backup", database=database, files_root=tmp_path / "restored")
        differences = backup_verify(expected=records, database=database, files_root=tmp_path / "restored")
        assert [(d.uai, d.what) for d in differences] == [(school.uai, "file homework/sheet.pdf")]
        # The copy is not empty any more: a second restore into it is refused, as is a used folder.
        with pytest.raises(ValueError, match="not empty"):
            backup_restore(source=tmp_path / "backup", database=database, files_root=tmp_path / "other")
        with pytest.raises(CommandError, match="not empty"):
            call_command(
                "backup_restore", str(tmp_path / "backup"), database=name, files=str(tmp_path / "restored")
            )
    finally:
        scratch_database(name, drop=True)
