"""Cloning at region scale: two clones never wait for each other, and the catalog reads behind
cloning use the catalog indexes only, so their cost does not grow with the number of schemas."""

from __future__ import annotations

import threading

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tenants.schemas import clone_function_ensure, schema_catalog, schema_clone, template_schema_name


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


def test_two_clones_in_open_transactions_do_not_wait_for_each_other(committed_db):
    source, by = template_schema_name(), "template"
    clone_function_ensure()  # its first installation is the one moment clones wait for each other
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


def test_the_catalog_reads_of_cloning_use_only_the_catalog_indexes(school_a):
    """With sequential scans priced out, a plan that still reads a catalog table whole has no
    index to use: its cost would grow with the number of schemas."""
    template = template_schema_name()
    with CaptureQueriesContext(connection) as captured:
        schema_catalog(school_a.schema_name)
        schema_catalog(template, kinds=("index",))
    queries = [query["sql"] for query in captured.captured_queries if "pg_depend" in query["sql"]]
    assert len(queries) == 2
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for query in queries:
            cursor.execute("EXPLAIN " + query)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "Seq Scan" not in plan, plan
