"""One real migration for every schema, from the probe app (tests/provisioning/probe_app), applied
by ``mbn migrate_all`` running in a process of its own (the only kind that can be killed), and
removed again so that the rest of the session sees the platform's schemas unchanged."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import connection, transaction
from psycopg import sql

from tenants.models import Establishment
from tenants.schemas import template_schema_name
from tests.provisioning.probe_settings import PROBE_APP_LABEL, PROBE_TABLE

ROOT = Path(__file__).resolve().parents[2]
_CHUNK = 50  # schemas per transaction: each one's tables take a slot in the shared lock table


def probe_env() -> dict[str, str]:
    """The environment of a process working on the test database with the probe app installed."""
    db = settings.DATABASES["default"]
    password = f":{quote(str(db['PASSWORD']), safe='')}" if db.get("PASSWORD") else ""
    url = f"postgres://{quote(str(db['USER']), safe='')}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    pythonpath = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return {
        **env,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "tests.provisioning.probe_settings",
        "MBN_ENV": "test",
        "PYTHONPATH": pythonpath,
    }


def migrate_all_start(*, jobs: int = 2, **options: Any) -> subprocess.Popen[bytes]:
    """``mbn migrate_all`` with the probe app, in a new session (so its workers can be killed with it)."""
    command = [str(Path(sys.executable).with_name("mbn")), "migrate_all", f"--jobs={jobs}", "--verbosity=1"]
    return subprocess.Popen(command, env=probe_env(), cwd=ROOT, start_new_session=True, **options)


def establishment_schemas() -> list[str]:
    return list(Establishment.objects.order_by("pk").values_list("schema_name", flat=True))


def _chunks(schemas: Iterable[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    for schema in schemas:
        batch.append(schema)
        if len(batch) == _CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def probe_applied(schemas: Iterable[str]) -> set[str]:
    """The schemas whose migration record holds the probe migration."""
    applied: set[str] = set()
    for batch in _chunks(schemas):
        query = sql.SQL(" UNION ALL ").join(
            sql.SQL("SELECT {} WHERE EXISTS (SELECT FROM {}.django_migrations WHERE app = {})").format(
                sql.Literal(schema), sql.Identifier(schema), sql.Literal(PROBE_APP_LABEL)
            )
            for schema in batch
        )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(query)
            applied.update(row[0] for row in cursor.fetchall())
    return applied


def probe_tables(schemas: Iterable[str]) -> set[str]:
    """The schemas holding the probe migration's table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s FROM unnest(%s::text[]) s WHERE to_regclass(format('%%I.%%I', s, %s)) IS NOT NULL",
            [list(schemas), PROBE_TABLE],
        )
        return {row[0] for row in cursor.fetchall()}


def probe_remove() -> None:
    """Drop the probe's table and records from public, the template and every establishment."""
    schemas = ["public", template_schema_name(), *establishment_schemas()]
    for batch in _chunks(schemas):
        statements = []
        for schema in batch:
            statements.append(
                sql.SQL("DROP TABLE IF EXISTS {}.{}").format(
                    sql.Identifier(schema), sql.Identifier(PROBE_TABLE)
                )
            )
            statements.append(
                sql.SQL("DELETE FROM {}.django_migrations WHERE app = {}").format(
                    sql.Identifier(schema), sql.Literal(PROBE_APP_LABEL)
                )
            )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql.SQL(";\n").join(statements).as_string(cursor.connection))


# Run with probe_env(): the probe migration is applied to the template, and the process dies
# (os._exit, as under SIGKILL) at the moment Django records it, after the migration's changes.
_DIE_WHEN_RECORDING = """
import os, sys
import django

django.setup()
from django.db.migrations.recorder import MigrationRecorder

original = MigrationRecorder.record_applied


def record_applied(self, app, name):
    if app == "provisioning_probe" and self.connection.schema_name != "public":
        os._exit(9)
    return original(self, app, name)


MigrationRecorder.record_applied = record_applied
if sys.argv[1] == "migrate_all":
    from tenants.migrate_all import migrate_all

    migrate_all(processes=1)
else:
    from django.core.management import call_command

    call_command("migrate_schemas", schema_name=sys.argv[2], tenant=True, interactive=False, verbosity=0)
"""


def die_when_recording(*arguments: str) -> subprocess.CompletedProcess[bytes]:
    """``migrate_all`` (``"migrate_all"``) or django-tenants' ``migrate_schemas`` of one schema
    (``"migrate_schemas", schema``) with the probe app, killed when recording the probe migration."""
    return subprocess.run(
        [sys.executable, "-c", _DIE_WHEN_RECORDING, *arguments],
        env=probe_env(),
        cwd=ROOT,
        capture_output=True,
        timeout=600,
        check=False,
    )
