"""`mbn migrate_all` migrates every establishment that is behind, in parallel, and never stops at
the first failing schema: it migrates the rest and exits non-zero listing the failures."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql

from tenants.models import Establishment
from tenants.provisioning.jobs import establishment_create, provisioning_job_rollback
from tenants.schemas import schema_pending_migrations
from tenants.uai import uai_check_letter

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
        assert all(school.uai not in str(raised.value) for school in healthy)
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
