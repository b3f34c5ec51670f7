"""Which establishment tables a piece of work read, and a generation per table written.

Every SQL statement goes through ``watch`` (a database execute wrapper, installed on every
connection by ``mbn_platform.apps``, in the web processes, the workers and the commands alike):

- a statement that writes a table of an establishment's schema (INSERT, UPDATE, DELETE,
  TRUNCATE, COPY) bumps the generation ``table:<schema>:<table>`` (``kernel/generations.py``):
  at once, and again when the transaction commits;
- while ``reads_recorded()`` is open (``generations.py``: a page rendered to be held,
  ``held_pages.py``), a statement that reads records the establishment tables it names, as
  generation scopes.

Values cached without a query (``tenant_cached``) record the tables they were computed from and
declare them again on every hit (``scopes_declare``); values keyed by generations declare those
(``generations_read``): what a page shows through a cache counts as read. The region's tables
(public schema: accounts, memberships, sessions, audit) are neither recorded nor bumped: what
depends on them is keyed by the person's and the establishments' generations instead.

Without a cache the processes share (``settings.MBN_SHARED_CACHE`` false) nothing is bumped:
nothing is held across requests then (``generations.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from mbn_platform.kernel.generations import _bump_now, _reads

#: Any table of a schema: bumped by a write whose table could not be named.
ANY_TABLE = "*"

_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|TRUNCATE|COPY|MERGE)\b", re.IGNORECASE)
_WRITTEN = re.compile(
    r"\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?|COPY|MERGE\s+INTO)\s+(?:ONLY\s+)?"
    r'(?:"?\w+"?\.)?"?(\w+)"?\s*(?:[(\s,;]|$)',
    re.IGNORECASE,
)
_READ = re.compile(r'\b(?:FROM|JOIN)\s+(?:"?\w+"?\.)?"?(\w+)"?', re.IGNORECASE)


def table_scope(schema: str, table: str) -> str:
    return f"table:{schema}:{table}"


@cache
def establishment_tables() -> frozenset[str]:
    """The tables of the establishments' schemas (the tenant apps', many-to-many ones included)."""
    shared = set(settings.SHARED_APPS)
    names: set[str] = set()
    for model in apps.get_models(include_auto_created=True):
        app = model._meta.app_config
        if app.name in settings.TENANT_APPS and app.name not in shared:
            names.add(model._meta.db_table)
    return frozenset(names)


def watch(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    """The execute wrapper (``connection.execute_wrappers``)."""
    result = execute(sql, params, many, context)
    if not isinstance(sql, str):
        return result
    reads = _reads.get()
    if _WRITE.match(sql):
        connection = context["connection"]
        schema = getattr(connection, "schema_name", "public")
        if reads is not None:
            reads.wrote = True
        if settings.MBN_SHARED_CACHE and schema != "public":
            _written(connection, schema, sql)
    elif reads is not None:
        schema = getattr(context["connection"], "schema_name", "public")
        tables = establishment_tables()
        reads.scopes.update(table_scope(schema, name) for name in _READ.findall(sql) if name in tables)
    return result


def _written(connection: BaseDatabaseWrapper, schema: str, sql: str) -> None:
    found = _WRITTEN.match(sql)
    truncate = sql.lstrip()[:8].upper() == "TRUNCATE"  # it may name several tables
    table = found.group(1) if found and not truncate else ANY_TABLE
    if table != ANY_TABLE and table not in establishment_tables():
        return
    scope = table_scope(schema, table)
    if not connection.in_atomic_block:
        _bump_now((scope,))  # already committed
        return
    # Now (a reader that renders from the rows before the commit reads the new number first
    # on its next request), and once more when the transaction commits: one callback per table
    # and transaction (a rollback drops it; the next write registers it again).
    _bump_now((scope,))
    if any(getattr(pending[1], "mbn_scope", None) == scope for pending in connection.run_on_commit):
        return

    def committed() -> None:
        _bump_now((scope,))

    committed.mbn_scope = scope  # type: ignore[attr-defined]
    transaction.on_commit(committed, using=connection.alias)


def watch_connection(connection: BaseDatabaseWrapper) -> None:
    """Install ``watch`` on this connection once (``connection_created``)."""
    if watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch)
