"""Small per-establishment values every page reads (the school years, the attendance policy, the
home page's headcounts), cached in the default cache, whose keys django-tenants prefixes with the
current schema (``django_tenants.cache.make_key``): one establishment's entry is never read from
another's schema.

An entry either expires by itself (``timeout``: for summaries a minute late is acceptable) or is
forgotten by the code that changes what it holds (``tenant_cache_forget``, from a signal or a
service, at once and again when the transaction commits).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple, TypeVar, cast

from django.core.cache import caches
from django.db import transaction
from django_tenants.utils import schema_context

from mbn_platform.kernel.db import tenant_db
from mbn_platform.kernel.generations import reads_recorded, scopes_declare

T = TypeVar("T")
_MISSING = object()


class _Entry(NamedTuple):
    value: object
    #: What computing it read (``generations.reads_recorded``): declared again on every hit, so
    #: that a page held with this value depends on the tables it came from (``held_pages.py``).
    scopes: frozenset[str]


def tenant_cached(key: str, compute: Callable[[], T], *, timeout: int) -> T:
    """The value of ``key`` in the current establishment's schema, computed on a miss."""
    cache = caches["default"]
    found = cache.get(key, _MISSING)
    if isinstance(found, _Entry):
        scopes_declare(found.scopes)
        return cast(T, found.value)
    with reads_recorded() as reads:
        value = compute()
    cache.set(key, _Entry(value, frozenset(reads.scopes)), timeout)
    return value


def tenant_cache_forget(*keys: str) -> None:
    """Forget these keys of the current schema, now and when the transaction commits (a
    request may have read the old rows in between)."""
    schema = tenant_db().schema_name
    caches["default"].delete_many(list(keys))

    def again() -> None:
        with schema_context(schema):
            caches["default"].delete_many(list(keys))

    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(again)
