"""A cloned establishment schema is identical to a migrated one, so later migrations apply to it."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django_tenants.utils import schema_context
from psycopg import sql

from tenant_apps.school.models import Member, SchoolClass
from tenants.schemas import schema_catalog, template_schema_name

MIGRATED = "t_migrated_probe"


@pytest.fixture
def migrated_schema(db: None) -> str:
    """A schema built by running every tenant migration (inside the test's transaction)."""
    from django.core.management import call_command

    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(MIGRATED)))
    call_command("migrate_schemas", schema_name=MIGRATED, tenant=True, interactive=False, verbosity=0)
    connection.set_schema_to_public()
    return MIGRATED


def _shape(schema: str) -> set[tuple[str, str, str, str]]:
    return {(e.kind, e.table, e.name, e.definition) for e in schema_catalog(schema)}


def test_a_cloned_schema_has_the_catalog_of_a_migrated_one(school_a, migrated_schema):
    cloned = _shape(school_a.schema_name)
    migrated = _shape(migrated_schema)
    template = _shape(template_schema_name())

    assert cloned == migrated == template
    names = {name for kind, _table, name, _def in cloned if kind == "constraint"}
    # Django's names, not PostgreSQL's defaults (<table>_<column>_key).
    assert {"school_member_unique_user", "school_class_unique_name"} <= names
    assert not any(name.endswith("_key") for name in names)
    assert any(kind == "sequence" for kind, *_ in cloned)


def test_a_migration_dropping_a_named_constraint_applies_to_a_cloned_establishment(school_a):
    constraint = next(c for c in Member._meta.constraints if c.name == "school_member_unique_user")
    with schema_context(school_a.schema_name), transaction.atomic():
        # What a RemoveConstraint migration operation runs.
        with connection.schema_editor() as editor:
            editor.remove_constraint(Member, constraint)
        Member.objects.create(user_id=424242, display_name="Twin one")
        Member.objects.create(user_id=424242, display_name="Twin two")
        assert Member.objects.filter(user_id=424242).count() == 2
        transaction.set_rollback(True)


def test_a_cloned_schema_starts_with_the_template_rows_and_its_own_sequences(school_a, school_b):
    with schema_context(school_a.schema_name):
        first_a = SchoolClass.objects.create(name="Seq A", level="x")
    with schema_context(school_b.schema_name):
        first_b = SchoolClass.objects.create(name="Seq B", level="x")
    with schema_context(school_a.schema_name):
        second_a = SchoolClass.objects.create(name="Seq A2", level="x")
    assert second_a.pk == first_a.pk + 1  # B's insert did not advance A's sequence
    assert first_b.pk >= 1
