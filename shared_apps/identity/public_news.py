"""The schools' public news on the region portal's home page, gathered per establishment.

News stays in each establishment's schema; the news app registers a provider at start-up
(``public_news_provider``), called once per establishment inside its schema (``schema_context``:
never SQL across several schemas) with one query. Identity imports no tenant app.

The gathered list is cached (``CACHE_SECONDS``) for every visitor at once; a school that
publishes, withdraws or deletes a public item forgets it (``public_news_forget``), so the portal
shows the change at its next view. A page view therefore costs no query when the list is cached,
and one query per serving establishment (plus one for the establishments) when it is not.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from django.core.cache import caches
from django.http import HttpRequest
from django_tenants.utils import schema_context

from mbn_platform.kernel.generations import generation_bump, reads_unrecorded, scopes_declare
from mbn_platform.kernel.tenancy import url_on_host
from tenants.selectors import establishment_primary_host, establishments_serving

CACHE_KEY = "portal:public-news:v1"
CACHE_SECONDS = 10 * 60
PER_SCHOOL = 3
SHOWN = 12


@dataclass(frozen=True)
class PublicNewsRow:
    title: str
    excerpt: str
    published_at: datetime.datetime
    path: str  # on the school's host
    school: str = ""
    host: str = ""
    url: str = ""  # absolute, filled for the page


PublicNewsProvider = Callable[[int], Sequence[PublicNewsRow]]  # (at most) -> rows, newest first
_providers: list[PublicNewsProvider] = []


def public_news_provider(provider: PublicNewsProvider) -> PublicNewsProvider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


#: The list's generation: a page held with it (the portal's home, kernel/held_pages.py) depends
#: on it, not on the news tables of every school it was gathered from.
SCOPE = "portal:public-news"


def public_news_forget() -> None:
    """Drop the cached list (a school's public news changed)."""
    caches["platform"].delete(CACHE_KEY)
    generation_bump(SCOPE)


def _gather() -> list[PublicNewsRow]:
    rows: list[PublicNewsRow] = []
    for establishment in establishments_serving():
        host = establishment_primary_host(establishment)
        if host is None:
            continue
        with schema_context(establishment.schema_name):
            found = [row for provider in _providers for row in provider(PER_SCHOOL)]
        rows.extend(replace(row, school=establishment.name, host=host) for row in found)
    return sorted(rows, key=lambda row: row.published_at, reverse=True)[:SHOWN]


def portal_public_news(*, request: HttpRequest) -> list[PublicNewsRow]:
    """The newest public news of the region's schools, each with its school and its address."""
    scopes_declare((SCOPE,))
    cache = caches["platform"]  # region-wide: the same key whatever the schema selected
    rows: list[PublicNewsRow] | None = cache.get(CACHE_KEY)
    if rows is None:
        with reads_unrecorded():
            rows = _gather()
        cache.set(CACHE_KEY, rows, CACHE_SECONDS)
    return [replace(row, url=url_on_host(request, row.host, row.path)) for row in rows]
