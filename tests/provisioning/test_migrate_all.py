"""`mbn migrate_all` migrates every establishment that is behind, in parallel, and never stops at
the first failing schema: it migrates the rest and exits non-zero listing the failures. Killed
midway, it resumes: a second run migrates what the first did not, and no migration is left
applied without its record."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from psycopg import sql

from tenants.migrate_all import _migration_table_found_by_name
from tenants.models import Establishment, ProvisioningJob
from tenants.provisioning.jobs import establishment_create, provisioning_job_rollback
from tenants.schemas import migration_nodes, schema_pending_migrations, template_schema_name
from tenants.uai import uai_check_letter
from tests.provisioning.probe import (
    die_when_recording,
    establishment_schemas,
    migrate_all_start,
    probe_applied,
    probe_remove,
    probe_tables,
)
from tests.provisioning.probe_settings import PROBE_APP_LABEL

SETTINGS_MIGRATION = ("school", "0002_school_settings")


def _school_migrations_after_settings() -> list[str]:
    """The school app's migrations after the settings one: a schema behind on it is behind on
    them too (their history needs it applied first)."""
    from django.db.migrations.loader import MigrationLoader

    names = sorted(
        name
        for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations
        if app == "school"
    )
    return names[names.index(SETTINGS_MIGRATION[1]) + 1 :]


def _make_behind(schema: str, *, keep_table: bool) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("DELETE FROM {}.django_migrations WHERE app = %s AND name = ANY(%s)").format(
                sql.Identifier(schema)
            ),
            [SETTINGS_MIGRATION[0], [SETTINGS_MIGRATION[1], *_school_migrations_after_settings()]],
        )
        if not keep_table:  # a clean "behind" schema; keeping the table makes the migration fail
            cursor.execute(sql.SQL("DROP TABLE {}.school_schoolsettings").format(sql.Identifier(schema)))


def test_migrate_all_goes_on_past_a_failing_schema_and_lists_it(committed_db):
    schools = []
    for n in (8101, 8102, 8103):
        digits = f"067{n}"
        schools.append(
            establishment_create(
                actor=None,
                uai=digits + uai_check_letter(digits),
                name=f"Migration {n}",
                kind="college",
                academie="Strasbourg",
                departement="67",
                subdomain=f"migr-{n}",
            )
        )
    broken, *healthy = schools
    _make_behind(broken.schema_name, keep_table=True)
    for school in healthy:
        _make_behind(school.schema_name, keep_table=False)
    try:
        with pytest.raises(CommandError) as raised:
            call_command("migrate_all", jobs=2, verbosity=0)
        assert broken.uai in str(raised.value)
        assert all(school.uai not in str(raised.value) for school in healthy), str(raised.value)
        for school in healthy:
            assert schema_pending_migrations(school.schema_name) == []
        assert schema_pending_migrations(broken.schema_name) == [
            "school.0002_school_settings",
            *(f"school.{name}" for name in _school_migrations_after_settings()),
        ]

        # Repaired, a second run resumes and finishes the job.
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP TABLE {}.school_schoolsettings").format(sql.Identifier(broken.schema_name))
            )
        call_command("migrate_all", jobs=2, verbosity=0)
        assert schema_pending_migrations(broken.schema_name) == []
    finally:
        for school in schools:
            for job in school.provisioning_jobs.all():
                Establishment.objects.filter(pk=school.pk).update(status="provisioning")
                job.status = "failed"
                job.save(update_fields=["status"])
                provisioning_job_rollback(actor=None, job_id=job.pk)


def test_migrate_all_killed_midway_finishes_the_rest_when_run_again(committed_db, tmp_path):
    """A real ``mbn migrate_all`` process applying a real migration (the probe app's) is killed
    with its workers after the first establishment is migrated; a second run migrates the rest."""
    schools = []
    for n in range(12):
        digits = f"068{8200 + n}"
        schools.append(
            establishment_create(
                actor=None,
                uai=digits + uai_check_letter(digits),
                name=f"Migration kill {n}",
                kind="college",
                academie="Strasbourg",
                departement="68",
                subdomain=f"migr-kill-{n}",
            )
        )
    everyone = establishment_schemas()
    assert not any(app == PROBE_APP_LABEL for app, _name in migration_nodes())  # not the platform's
    log = tmp_path / "migrate_all.log"
    try:
        with log.open("wb") as output:
            first = migrate_all_start(jobs=2, stdout=output, stderr=subprocess.STDOUT)
            deadline = time.monotonic() + 300
            while not probe_applied(everyone) and first.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
            os.killpg(first.pid, signal.SIGKILL)  # the command and its worker processes
            first.wait()
        done = probe_applied(everyone)
        assert first.returncode == -signal.SIGKILL, log.read_text()
        assert 0 < len(done) < len(everyone), log.read_text()  # the kill landed midway
        # Each schema's migration is one transaction: a schema is migrated whole or not at all.
        assert probe_tables(everyone) == done

        second = migrate_all_start(jobs=2, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        output_text = second.communicate(timeout=600)[0].decode()
        assert second.returncode == 0, output_text
        assert f"{len(everyone) - len(done)} migrated" in output_text
        assert probe_applied([template_schema_name(), *everyone]) == {template_schema_name(), *everyone}
        assert probe_tables(everyone) == set(everyone)
    finally:
        probe_remove()
        for school in schools:
            school.delete(force_drop=True)
        ProvisioningJob.objects.filter(uai__in=[school.uai for school in schools]).delete()


def test_migrate_all_finds_the_migration_table_of_the_schema_being_migrated_by_name(school_a):
    """migrate_all replaces Django's lookup of the migration table (a scan of every table of the
    database) by a lookup by name: the answers must be Django's."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA t_probe_empty")

    def answers() -> list[bool]:
        found = []
        for schema in (school_a.schema_name, "t_probe_empty", "public"):
            connection.set_schema(schema)  # public on the search path too, as when migrating
            found.append(MigrationRecorder(connection).has_table())
        connection.set_schema_to_public()
        return found

    djangos = answers()
    with _migration_table_found_by_name():
        by_name = answers()
    assert by_name == djangos == [True, False, True]


def test_a_migration_killed_before_its_record_is_not_left_applied(committed_db):
    """Django commits a migration with deferred SQL (here: a new table's index and foreign key)
    before recording it; killed in between, the next run fails on it. Under migrate_all the
    migration and its record are one transaction."""
    template = template_schema_name()
    try:
        plain = die_when_recording("migrate_schemas", template)
        assert plain.returncode == 9, plain.stderr.decode()[-2000:]
        assert probe_tables([template]) == {template}  # applied...
        assert probe_applied([template]) == set()  # ...but not recorded: Django's window
        probe_remove()

        ours = die_when_recording("migrate_all")
        assert ours.returncode == 9, ours.stderr.decode()[-2000:]
        assert probe_tables([template]) == set()
        assert probe_applied([template]) == set()
    finally:
        probe_remove()
