"""Schema-level operations: the template schema, cloning it, and catalog comparison.

New establishments are cloned from a migrated template schema (``TENANT_BASE_SCHEMA``) instead
of replaying every migration. A clone must be catalog-identical to a migrated schema
(``schema_catalog`` compares them): a later migration that drops a constraint by name would
otherwise fail on cloned establishments only.

``schema_clone`` runs the template's clone plan (``clone_plan``: statements read once from the
template's catalog, with its names); for a template the plan does not cover, it falls back to
django-tenants' ``clone_schema`` SQL function (``clone_function``), which gives unique
constraints and some indexes PostgreSQL's default names (``<table>_<column>_key``), so
``clone_names_align`` then renames them to the template's. Neither takes a lock that another
clone waits for, and neither reads more of the catalog as establishments are added.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django_tenants.utils import schema_exists
from psycopg import sql

from mbn_platform.kernel.db import tenant_db
from tenants.schemas.catalog import CatalogEntry, clone_names_align, schema_catalog
from tenants.schemas.clone_function import clone_function_ensure
from tenants.schemas.plan import ClonePlan, clone_plan, clone_plan_run

__all__ = [
    "CatalogEntry",
    "clone_function_ensure",
    "clone_names_align",
    "migration_nodes",
    "schema_applied_migrations",
    "schema_catalog",
    "schema_clone",
    "schema_clone_by_plan",
    "schema_create_from_template",
    "schema_pending_migrations",
    "template_schema_migrate",
    "template_schema_name",
]


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


class TemplateMigratedMeanwhile(RuntimeError):
    """The template kept being migrated while it was cloned."""


def schema_clone(*, source: str, target: str) -> None:
    """Clone ``source`` into a new schema ``target`` (structure and rows), with the source's names."""
    if schema_exists(target, case_sensitive=False):
        raise ValueError(f"schema {target} already exists")
    for _attempt in range(3):
        version = frozenset(schema_applied_migrations(source))
        plan = clone_plan(source, version=version)
        if plan is None:
            break
        if schema_clone_by_plan(plan, target=target, version=version):
            return
    else:
        raise TemplateMigratedMeanwhile(f"{source} was migrated during three clones in a row")
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


def schema_clone_by_plan(plan: ClonePlan, *, target: str, version: frozenset[tuple[str, str]]) -> bool:
    """Run a clone plan made for the source at ``version``; undo it and return False when the
    migration records it copied are not that version's: the source was migrated meanwhile (the
    plan's statements run one after the other, each seeing what was committed when it started),
    so the clone may mix two versions and is made again from a fresh plan."""
    with transaction.atomic():
        clone_plan_run(plan, target=target)
        if frozenset(schema_applied_migrations(target)) == version:
            return True
        transaction.set_rollback(True)
    return False
