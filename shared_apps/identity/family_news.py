"""What is new for a child, in the family view and on the child's page: a registry of providers.

Each app that has something a guardian should see (grades, absences to justify, homework due,
unread messages…) registers one provider, usually in its ``AppConfig.ready()``::

    from shared_apps.identity.family_news import NewsItem, family_news_provider

    @family_news_provider
    def absences_to_justify(*, establishment, guardian, children):
        ...  # one or two queries for the whole batch, in the current schema
        return {child.user_id: [NewsItem(text=..., url="/attendance/family/", kind="absence")]}

A provider is called once per establishment, inside that establishment's schema (the caller
selects it), with every child of the guardian who studies there: it must answer for the whole
batch with a fixed number of queries (never one per child, nor per grade or message), read only
the current schema (plus small public tables), and return only what the guardian may see of
these children. ``url`` is a path on the child's school host; the family view makes it absolute.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone
from django.utils.translation import get_language

from mbn_platform.kernel.db import tenant_db
from mbn_platform.kernel.generations import (
    generation_bump,
    generations_read,
    reads_recorded,
    scopes_declare,
    user_scope,
)
from mbn_platform.kernel.tenant_cache import tenant_cache_forget

if TYPE_CHECKING:
    from shared_apps.identity.local_members import LocalMember
    from shared_apps.identity.models import User
    from tenants.models import Establishment

MAX_ITEMS_PER_CHILD = 8


@dataclass(frozen=True)
class NewsItem:
    """One line of "what is new" for a child."""

    text: str
    url: str = ""  # a path on the child's school host ("" for none)
    kind: str = ""  # e.g. "grade", "absence", "homework", "message", "account" (a CSS hook)
    at: datetime.datetime | None = None  # when it happened, for the order (newest first)


@dataclass(frozen=True)
class FamilyChild:
    """A child of the guardian, as a provider receives it."""

    user: User  # the region-wide account (public schema), already loaded
    member: LocalMember | None  # the child's row in the current establishment's schema, with its class
    can_act: bool  # whether the guardian may act for the child (justify, sign) or only view

    @property
    def user_id(self) -> int:
        return int(self.user.pk)


class FamilyNewsProvider(Protocol):
    def __call__(
        self, *, establishment: Establishment, guardian: User, children: Sequence[FamilyChild]
    ) -> Mapping[int, Sequence[NewsItem]]: ...


_providers: list[FamilyNewsProvider] = []


def family_news_provider(provider: Callable[..., Mapping[int, Sequence[NewsItem]]]) -> FamilyNewsProvider:
    """Register a provider (a decorator; registering the same function twice keeps one)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def family_news_providers() -> list[FamilyNewsProvider]:
    return list(_providers)


def family_news_for(
    *, establishment: Establishment, guardian: User, children: Sequence[FamilyChild]
) -> dict[int, list[NewsItem]]:
    """Every provider's items for these children of one establishment (call it in its schema).

    Items of a child are the newest first (undated ones last), at most ``MAX_ITEMS_PER_CHILD``.
    """
    found: dict[int, list[NewsItem]] = {child.user_id: [] for child in children}
    if not children:
        return found
    for provider in _providers:
        for user_id, items in provider(
            establishment=establishment, guardian=guardian, children=children
        ).items():
            if user_id in found:  # never a child the guardian was not given
                found[user_id].extend(items)
    never = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    return {
        user_id: sorted(items, key=lambda item: item.at or never, reverse=True)[:MAX_ITEMS_PER_CHILD]
        for user_id, items in found.items()
    }


_HELD_SIGNATURES = 4


def family_news_cached(
    *, establishment: Establishment, guardian: User, children: Sequence[FamilyChild]
) -> dict[int, list[NewsItem]]:
    """``family_news_for``, held ``settings.MBN_FAMILY_NEWS_HOLD_SECONDS`` per guardian in the
    establishment's schema (call it there), for these children, in this language, at the
    guardian's generation (a link to a child changed: computed anew). The family view and a
    child's page are read far more often than their items change; the guardian's own acts that
    change them (a justification sent, an absence declared, a notice acknowledged) forget them at
    once (``family_news_forget``); what the school does (a grade, an absence) shows within the delay."""
    seconds = float(settings.MBN_FAMILY_NEWS_HOLD_SECONDS)
    # Held only in a cache every process shares: one process forgets for all of them.
    if seconds <= 0 or not settings.MBN_SHARED_CACHE:
        return family_news_for(establishment=establishment, guardian=guardian, children=children)
    (generation,) = generations_read(user_scope(int(guardian.pk)))
    signature = (
        get_language() or "",
        generation,
        tuple((c.user_id, c.member.pk if c.member is not None else None, c.can_act) for c in children),
    )
    cache = caches["default"]
    key = _family_news_key(int(guardian.pk))
    # A page held with these news (the family view, kernel/held_pages.py) depends on what they
    # were read from, and on their forgetting by the guardian's own acts.
    scopes_declare((_forget_scope(int(guardian.pk)),))
    now = timezone.now().timestamp()
    held: dict[tuple[object, ...], tuple[float, dict[int, list[NewsItem]], frozenset[str]]]
    held = cache.get(key) or {}
    found = held.get(signature)
    if found is not None and len(found) == 3 and now - found[0] < seconds:
        scopes_declare(found[2])
        return {user_id: list(items) for user_id, items in found[1].items()}
    with reads_recorded() as reads:
        news = family_news_for(establishment=establishment, guardian=guardian, children=children)
    fresh = {sig: entry for sig, entry in held.items() if len(entry) == 3 and now - entry[0] < seconds}
    if len(fresh) >= _HELD_SIGNATURES:
        fresh.clear()
    fresh[signature] = (now, news, frozenset(reads.scopes))
    cache.set(key, fresh, seconds)
    return news


def family_news_forget(*, guardian_user_id: int) -> None:
    """Forget a guardian's held news of the current establishment (call it in its schema, from
    the service that changed them)."""
    tenant_cache_forget(_family_news_key(guardian_user_id))
    generation_bump(_forget_scope(guardian_user_id))


def _forget_scope(guardian_user_id: int) -> str:
    return f"family-news:{tenant_db().schema_name}:{guardian_user_id}"


def _family_news_key(guardian_user_id: int) -> str:
    return f"family-news:{guardian_user_id}"
