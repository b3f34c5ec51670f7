"""Daily pages held between a person's requests while nothing they show has changed.

A page rendered for a person (its view says ``held_page = True``, next to its roles) is kept in
the process's memory with what it read: the establishment tables its queries named and the
generations its cached values were keyed by (``generations.reads_recorded``, ``table_reads.py``).
The next request of the same person for the same page, in the same language, session and minute,
reads those generations (one round trip) and, if none moved, answers with the held page without
running the view. A write to any of those tables, by any process, bumps its generation
(``table_reads.watch``): the page is rendered again on the next request, including right after
the person's own change.

What may lag, by at most ``settings.MBN_PAGE_HOLD_SECONDS`` (the held page's minute ends): what
comes from the region's tables and is not the person's own (another person's name), and what
depends on the clock alone (a lesson that has started, news whose publication time has come).

The view's role check runs first (``RolesRequiredMixin``), as for any page. Never held: anything
but a GET, an HTMX request, a request with messages to show, an impersonated one, a render that
wrote to the database, set a cookie or answered anything but 200 with HTML; without a cache the
processes share (no Redis), nothing is held.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from mbn_platform.kernel.db import tenant_db
from mbn_platform.kernel.generations import (
    ESTABLISHMENTS,
    LocalEntries,
    generations_read,
    reads_recorded,
    user_scope,
)
from mbn_platform.kernel.table_reads import ANY_TABLE, table_scope

#: Pages held per process (a page is 10 to 60 kB): the most recently asked for.
HELD_MAX = 512
#: Response headers a held page keeps (the others are set on every response by the middleware).
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "Cache-Control")


@dataclass(frozen=True)
class HeldPage:
    content: bytes
    headers: tuple[tuple[str, str], ...]
    scopes: tuple[str, ...]
    #: The numbers of ``scopes`` read before the page was rendered; None for a first render,
    #: whose scopes were not known beforehand: such a page is not served, it tells the next
    #: request which numbers to read before rendering.
    generations: tuple[int, ...] | None


_held: LocalEntries[HeldPage] = LocalEntries(size=HELD_MAX)


def held_pages_clear() -> None:
    """Forget every held page of this process (tests)."""
    _held.clear()


def _holding(request: HttpRequest) -> bool:
    if not settings.MBN_SHARED_CACHE or settings.MBN_PAGE_HOLD_SECONDS <= 0:
        return False
    if request.method != "GET" or request.headers.get("HX-Request"):
        return False
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(request, "impersonation", None) is not None:
        return False
    if "CSRF_COOKIE" not in request.META:  # a first visit: the render sets the cookie
        return False
    messages = getattr(request, "_messages", None)
    return messages is None or len(messages) == 0


def _key(request: HttpRequest) -> tuple[Any, ...]:
    secrets = f"{request.session.session_key}:{request.META['CSRF_COOKIE']}"
    return (
        tenant_db().schema_name,
        request.user.pk,
        request.get_full_path(),
        translation.get_language(),
        hashlib.blake2b(secrets.encode(), digest_size=16).digest(),
        int(time.time() // settings.MBN_PAGE_HOLD_SECONDS),
    )


def held_response(request: HttpRequest, render: Any) -> HttpResponse:
    """The page ``render()`` gives, or the one held for this request while it is current."""
    if not _holding(request):
        return render()
    key = _key(request)
    held = _held.get(key)
    known: tuple[str, ...] = held.scopes if held is not None else ()
    # Read before rendering: a change committed after this read moves a number past it, so a
    # page rendered from rows older than that change is never kept under a current number.
    before = dict(zip(known, generations_read(*known), strict=True)) if known else {}
    if held is not None and held.generations is not None and tuple(before.values()) == held.generations:
        response = HttpResponse(held.content)
        for name, value in held.headers:
            response[name] = value
        return response
    schema = tenant_db().schema_name
    user_id: int = request.user.pk  # type: ignore[assignment]  # signed in (_holding)
    with reads_recorded() as reads:
        response = render()
        if hasattr(response, "render") and callable(response.render):
            response.render()  # a TemplateResponse: rendered here, while reads are recorded
    if (
        reads.wrote
        or response.status_code != 200
        or response.streaming
        or response.cookies
        or not response.get("Content-Type", "").startswith("text/html")
    ):
        return response
    scopes = tuple(
        sorted(reads.scopes | {user_scope(user_id), ESTABLISHMENTS, table_scope(schema, ANY_TABLE)})
    )
    if all(scope in before for scope in scopes):
        headers = tuple((name, response[name]) for name in _KEPT_HEADERS if name in response)
        generations = tuple(before[scope] for scope in scopes)
        _held.put(key, HeldPage(response.content, headers, scopes, generations))
    else:
        _held.put(key, HeldPage(b"", (), scopes, None))
    return response
