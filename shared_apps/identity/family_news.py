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
