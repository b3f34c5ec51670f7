"""Schema-level operations: the template schema, cloning it, and catalog comparison.

New establishments are cloned from a migrated template schema (``TENANT_BASE_SCHEMA``) instead
of replaying every migration. django-tenants' ``clone_schema`` copies tables with PostgreSQL's
default names for unique constraints and some indexes (``<table>_<column>_key``) instead of
Django's; a later migration that drops a constraint by name would then fail on cloned
establishments only. ``clone_names_align`` renames every constraint and index of a clone to its
template's name, so a cloned schema is catalog-identical to a migrated one
(``schema_catalog`` compares them).
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django_tenants.clone import CLONE_SCHEMA_FUNCTION, CloneSchema
from django_tenants.utils import schema_exists
from psycopg import sql

from mbn_platform.kernel.db import tenant_db


def template_schema_name() -> str:
    return str(settings.TENANT_BASE_SCHEMA)


def template_schema_migrate(*, verbosity: int = 0) -> None:
    """Create the template schema if needed and bring it up to date with the tenant migrations."""
    name = template_schema_name()
    if not schema_exists(name):
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
    if schema_pending_migrations(name):
        call_command("migrate_schemas", schema_name=name, tenant=True, interactive=False, verbosity=verbosity)


@functools.cache
def migration_nodes() -> frozenset[tuple[str, str]]:
    """Every migration of the code (django-tenants records all of them in each schema); the code
    does not change while a process runs, so it is read once."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def schema_applied_migrations(schema_name: str) -> set[tuple[str, str]]:
    """The migrations recorded in a schema, in one query (empty when it has no record table)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f'"{schema_name}".django_migrations'])
        if cursor.fetchone()[0] is None:
            return set()
        cursor.execute(
            sql.SQL("SELECT app, name FROM {}.django_migrations").format(sql.Identifier(schema_name))
        )
        return {(app, name) for app, name in cursor.fetchall()}


def schema_pending_migrations(schema_name: str, nodes: frozenset[tuple[str, str]] | None = None) -> list[str]:
    """Migrations of the code not yet applied in a schema (empty when up to date)."""
    missing = (nodes if nodes is not None else migration_nodes()) - schema_applied_migrations(schema_name)
    return sorted(f"{app}.{name}" for app, name in missing)


CLONE_FUNCTION_VERSION = hashlib.sha256(CLONE_SCHEMA_FUNCTION.encode()).hexdigest()[:16]
CLONE_FUNCTION_SIGNATURE = "public.clone_schema(text, text, public.cloneparms[])"


def clone_function_ensure() -> None:
    """Install django-tenants' ``clone_schema`` SQL function once per database (not per clone:
    it is 4,500 lines long), recording its version in a comment on the function."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT obj_description(p.oid, 'pg_proc')
              FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = 'public' AND p.proname = 'clone_schema'
               AND pg_get_function_identity_arguments(p.oid) LIKE '%%cloneparms%%'
            """
        )
        if CLONE_FUNCTION_VERSION not in {row[0] for row in cursor.fetchall()}:
            CloneSchema()._create_clone_schema_function()
            cursor.execute(
                sql.SQL("COMMENT ON FUNCTION {} IS {}").format(
                    sql.SQL(CLONE_FUNCTION_SIGNATURE), sql.Literal(CLONE_FUNCTION_VERSION)
                )
            )


def schema_clone(*, source: str, target: str) -> None:
    """Clone ``source`` into a new schema ``target`` (structure and rows), with the source's names."""
    if schema_exists(target, case_sensitive=False):
        raise ValueError(f"schema {target} already exists")
    clone_function_ensure()
    with connection.cursor() as cursor:
        cursor.execute("SELECT public.clone_schema(%s, %s, %s)", [source, target, "DATA"])
    clone_names_align(source=source, target=target)


def schema_create_from_template(*, schema_name: str) -> None:
    """Clone the template into a new schema, then apply any migration the template lacked."""
    template_schema_migrate()
    schema_clone(source=template_schema_name(), target=schema_name)
    if schema_pending_migrations(schema_name):
        call_command("migrate_schemas", schema_name=schema_name, tenant=True, interactive=False, verbosity=0)
    tenant_db().set_schema_to_public()


@dataclass(frozen=True)
class CatalogEntry:
    kind: str  # "constraint", "index" or "sequence"
    table: str
    name: str
    definition: str


def schema_catalog(schema_name: str) -> set[CatalogEntry]:
    """Constraints, indexes and sequences of a schema, with definitions made schema-independent."""
    entries: set[CatalogEntry] = set()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT 'constraint', rel.relname, con.conname, pg_get_constraintdef(con.oid, true)
              FROM pg_constraint con
              JOIN pg_class rel ON rel.oid = con.conrelid
              JOIN pg_namespace ns ON ns.oid = rel.relnamespace
             WHERE ns.nspname = %(schema)s
            UNION ALL
            SELECT 'index', tbl.relname, idx.relname, pg_get_indexdef(idx.oid)
              FROM pg_index i
              JOIN pg_class idx ON idx.oid = i.indexrelid
              JOIN pg_class tbl ON tbl.oid = i.indrelid
              JOIN pg_namespace ns ON ns.oid = tbl.relnamespace
             WHERE ns.nspname = %(schema)s
            UNION ALL
            SELECT 'sequence', coalesce(owner.relname, ''), seq.relname,
                   format('%%s start %%s incr %%s', s.seqtypid::regtype, s.seqstart, s.seqincrement)
              FROM pg_class seq
              JOIN pg_sequence s ON s.seqrelid = seq.oid
              JOIN pg_namespace ns ON ns.oid = seq.relnamespace
              LEFT JOIN pg_depend d ON d.objid = seq.oid AND d.deptype IN ('a', 'i')
              LEFT JOIN pg_class owner ON owner.oid = d.refobjid
             WHERE ns.nspname = %(schema)s
            """,
            {"schema": schema_name},
        )
        for kind, table, name, definition in cursor.fetchall():
            if kind == "index":
                definition = re.sub(r"INDEX \S+ ON", "INDEX ON", definition, count=1)
            neutral = definition.replace(f"{schema_name}.", "<schema>.").replace(
                f'"{schema_name}".', "<schema>."
            )
            entries.add(CatalogEntry(kind=kind, table=table, name=name, definition=neutral))
    return entries


def clone_names_align(*, source: str, target: str) -> list[tuple[str, str]]:
    """Rename the target's constraints and indexes to the source's names; return the renames.

    Entries are matched on (kind, table, definition); a constraint's backing index follows its
    constraint's rename, so indexes are aligned after constraints.
    """
    renames: list[tuple[str, str]] = []
    for kind in ("constraint", "index"):
        wanted = {(e.table, e.definition): e.name for e in schema_catalog(source) if e.kind == kind}
        for entry in sorted(schema_catalog(target), key=lambda e: e.name):
            if entry.kind != kind:
                continue
            expected = wanted.get((entry.table, entry.definition))
            if expected is None or expected == entry.name:
                continue
            with connection.cursor() as cursor:
                if kind == "constraint":
                    cursor.execute(
                        sql.SQL("ALTER TABLE {}.{} RENAME CONSTRAINT {} TO {}").format(
                            sql.Identifier(target),
                            sql.Identifier(entry.table),
                            sql.Identifier(entry.name),
                            sql.Identifier(expected),
                        )
                    )
                else:
                    cursor.execute(
                        sql.SQL("ALTER INDEX {}.{} RENAME TO {}").format(
                            sql.Identifier(target), sql.Identifier(entry.name), sql.Identifier(expected)
                        )
                    )
            renames.append((entry.name, expected))
    return renames
