"""Cloning at region scale: two clones never wait for each other, a clone copies the template
exactly (columns, rows, sequence positions, names), and the catalog reads behind cloning use the
catalog indexes only, so their cost does not grow with the number of schemas."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_exists
from psycopg import sql

from tenants.schemas import (
    clone_function_ensure,
    schema_applied_migrations,
    schema_catalog,
    schema_clone,
    schema_clone_by_plan,
    template_schema_name,
)
from tenants.schemas.catalog import SCHEMA_TABLES
from tenants.schemas.plan import clone_plan

WITH_VIEW = "t_probe_with_view"


def _columns(schema: str) -> set[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                   a.attidentity, a.attgenerated, a.attcollation, pg_get_expr(d.adbin, d.adrelid)
              FROM pg_class c
              JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
              LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
             WHERE c.relnamespace = %s::regnamespace AND c.relkind = 'r'
            """,
            [schema],
        )
        return set(cursor.fetchall())


def _shape(schema: str) -> set[tuple[str, str, str, str]]:
    return {(e.kind, e.table, e.name, e.definition) for e in schema_catalog(schema)}


def _make_schema_with_view(name: str) -> None:
    """A template-like schema holding a view: what the clone plan does not cover."""
    schema_clone(source=template_schema_name(), target=name)
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("CREATE VIEW {}.member_names AS SELECT display_name FROM {}.school_member").format(
                sql.Identifier(name), sql.Identifier(name)
            )
        )


def test_a_clone_has_the_template_columns_rows_names_and_sequence_positions(db):
    template = template_schema_name()
    assert clone_plan(template, version=frozenset()) is not None  # the planned clone is the one used

    schema_clone(source=template, target="t_probe_planned")

    assert _shape("t_probe_planned") == _shape(template)
    assert _columns("t_probe_planned") == _columns(template)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM t_template.django_migrations")
        template_rows = cursor.fetchone()[0]
        cursor.execute("SELECT count(*), max(id) FROM t_probe_planned.django_migrations")
        rows, last_id = cursor.fetchone()
        cursor.execute(
            "INSERT INTO t_probe_planned.django_migrations (app, name, applied) VALUES ('x', 'y', now())"
        )
        cursor.execute("SELECT max(id) FROM t_probe_planned.django_migrations")
        next_id = cursor.fetchone()[0]
    assert rows == template_rows > 0
    assert next_id == last_id + 1  # the sequence continues after the copied rows


def test_a_planned_clone_copies_comments_and_privileges(db):
    template = template_schema_name()
    schema_clone(source=template, target="t_probe_annotated")
    with connection.cursor() as cursor:
        cursor.execute("COMMENT ON SCHEMA t_probe_annotated IS 'probe'")
        cursor.execute("COMMENT ON TABLE t_probe_annotated.school_member IS 'the members'")
        cursor.execute("COMMENT ON COLUMN t_probe_annotated.school_member.display_name IS 'as shown'")
        cursor.execute("GRANT USAGE ON SCHEMA t_probe_annotated TO PUBLIC")
        cursor.execute("GRANT SELECT ON t_probe_annotated.school_member TO PUBLIC")
    assert clone_plan("t_probe_annotated", version=frozenset({("probe", "annotated")})) is not None

    schema_clone(source="t_probe_annotated", target="t_probe_annotated_copy")

    query = """
        SELECT obj_description(n.oid, 'pg_namespace'), n.nspacl::text, obj_description(c.oid, 'pg_class'),
               col_description(c.oid, a.attnum), c.relacl::text
          FROM pg_namespace n
          JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = 'school_member'
          JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'display_name'
         WHERE n.nspname = %s
    """
    with connection.cursor() as cursor:
        cursor.execute(query, ["t_probe_annotated"])
        source = cursor.fetchone()
        cursor.execute(query, ["t_probe_annotated_copy"])
        copy = cursor.fetchone()
    assert source[0] == "probe" and "=U/" in source[1] and "=r/" in source[4]
    assert copy == source


def test_a_template_the_plan_does_not_cover_is_cloned_by_the_sql_function_with_its_names(db):
    _make_schema_with_view(WITH_VIEW)
    assert clone_plan(WITH_VIEW, version=frozenset({("probe", "with_view")})) is None

    schema_clone(source=WITH_VIEW, target="t_probe_from_view")

    assert _shape("t_probe_from_view") == _shape(WITH_VIEW)
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('t_probe_from_view.member_names')")
        assert cursor.fetchone()[0] is not None


@pytest.fixture
def source_with_view(committed_db: None) -> Iterator[str]:
    """Committed, so that other connections can clone it (with the SQL function installed: its
    first installation is the one moment clones wait for each other)."""
    _make_schema_with_view(WITH_VIEW)
    clone_function_ensure()
    yield WITH_VIEW
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(WITH_VIEW)))


def _clone_and_hold(
    source: str, target: str, cloned: threading.Event, release: threading.Event, errors: list[Exception]
) -> None:
    """Clone inside a transaction kept open until ``release`` (as an onboarding step does), then
    roll it back. A lock wait longer than 10 s is an error, not a hang."""
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '10s'")
            schema_clone(source=source, target=target)
            cloned.set()
            release.wait(120)
            transaction.set_rollback(True)
    except Exception as error:  # reported by the test
        errors.append(error)
    finally:
        connection.close()


@pytest.mark.parametrize("by", ["plan", "sql_function"])
def test_two_clones_in_open_transactions_do_not_wait_for_each_other(request, committed_db, by):
    source = template_schema_name() if by == "plan" else request.getfixturevalue("source_with_view")
    first, second, release = threading.Event(), threading.Event(), threading.Event()
    errors: list[Exception] = []
    holder = threading.Thread(
        target=_clone_and_hold, args=(source, f"t_probe_{by}_1", first, release, errors)
    )
    other = threading.Thread(
        target=_clone_and_hold, args=(source, f"t_probe_{by}_2", second, release, errors)
    )
    holder.start()
    try:
        assert first.wait(120), errors
        # The first clone's transaction is still open: the second must not wait for it.
        other.start()
        finished_alongside = second.wait(60)
    finally:
        release.set()
        holder.join()
        if other.ident is not None:
            other.join()
    assert errors == []
    assert finished_alongside


def _unkeyed_catalog_reads(query: str) -> list[str]:
    """The scans of ``query``'s plan that read a catalog table or index other than by a key: a
    sequential scan, or an index scan without a condition on the index's first column (a scan
    of the whole index). Their cost grows with the number of schemas. Sequential scans are
    priced out: on a test database's small catalog the planner rightly prefers them; on a
    region's it takes the keyed paths, and what is checked here is that there are some."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + query)
        plan = cursor.fetchone()[0][0]["Plan"]
        cursor.execute(
            """
            SELECT c.relname, a.attname
              FROM pg_index i
              JOIN pg_class c ON c.oid = i.indexrelid
              JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
             WHERE c.relnamespace = 'pg_catalog'::regnamespace
            """
        )
        first_column = dict(cursor.fetchall())
    unkeyed: list[str] = []
    nodes = [plan]
    while nodes:
        node = nodes.pop()
        nodes.extend(node.get("Plans", []))
        kind = node["Node Type"]
        scanned_index = node.get("Index Name", "")
        if kind == "Seq Scan":
            unkeyed.append(f"Seq Scan on {node['Relation Name']}")
        elif scanned_index in first_column and not re.search(
            rf"\b{first_column[scanned_index]}\b", node.get("Index Cond", "")
        ):
            unkeyed.append(f"{kind} of all {scanned_index}")
    return unkeyed


def test_the_catalog_reads_of_cloning_and_offboarding_are_keyed_lookups(school_a):
    template = template_schema_name()
    with CaptureQueriesContext(connection) as captured:
        schema_catalog(school_a.schema_name)
        schema_catalog(template, kinds=("index",))
    queries = [query["sql"] for query in captured.captured_queries if "pg_depend" in query["sql"]]
    assert len(queries) == 2
    with connection.cursor() as cursor:  # the tables whose rows an export counts (schema_stats)
        queries.append(cursor.mogrify(SCHEMA_TABLES, {"schema": school_a.schema_name}))
        # What the name alignment and schema_stats read before: pg_class through pg_namespace.
        joined = cursor.mogrify(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s",
            [school_a.schema_name],
        )

    assert _unkeyed_catalog_reads(joined) == ["Bitmap Index Scan of all pg_class_relname_nsp_index"]
    for query in queries:
        assert _unkeyed_catalog_reads(query) == [], query


def test_a_planned_clone_that_copied_another_version_of_the_template_is_undone(db):
    """What happens when the template is migrated during a clone: the migration records the
    clone copied are not those of the version its plan was read from."""
    template = template_schema_name()
    version = frozenset(schema_applied_migrations(template))
    plan = clone_plan(template, version=version)
    assert plan is not None

    assert not schema_clone_by_plan(plan, target="t_probe_moved", version=version | {("x", "0099_newer")})
    assert not schema_exists("t_probe_moved")

    assert schema_clone_by_plan(plan, target="t_probe_moved", version=version)
    assert schema_exists("t_probe_moved")
