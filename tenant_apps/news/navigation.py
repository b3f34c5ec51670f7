"""What news and notices add, at start-up (``apps.py``), to the school's pages: their entries in
the navigation and the latest news on the home page (the public items for visitors)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy

from mbn_platform.kernel.generations import generations_read, shared_get_or_compute, user_scope
from mbn_platform.kernel.tenancy import request_access
from tenant_apps.news.cache import news_scope
from tenant_apps.news.permissions import NEWS_READERS, NOTICE_READERS
from tenant_apps.news.selectors.news import me, news_visible
from tenant_apps.school.home_sections import HomeSection, home_section_register
from tenant_apps.school.navigation import NavEntry, navigation_register

HOME_ITEMS = 4
HOME_CACHE_SECONDS = 5 * 60  # also bounds how long an item past its end may still show


def register_navigation() -> None:
    navigation_register(
        NavEntry(gettext_lazy("News"), "news-list", NEWS_READERS, order=5),
        NavEntry(gettext_lazy("Notices"), "notices", NOTICE_READERS, order=6),
    )


@dataclass(frozen=True)
class HomeItem:
    pk: int
    title: str
    published_at: datetime.datetime | None
    body: str  # a plain-text excerpt


def _latest(user_id: int | None) -> list[HomeItem]:
    member = me(user_id) if user_id else None
    return [
        HomeItem(item.pk, item.title, item.published_at, Truncator(strip_tags(item.body)).chars(220))
        for item in news_visible(member=member)[:HOME_ITEMS]
    ]


def latest_news(request: HttpRequest) -> dict[str, Any] | None:
    """The newest items the reader may see, cached in the shared cache under the school's news
    generation and the reader's own (roles, class, children): no query while neither moves."""
    user_id = request_access(request).user_id or 0
    scopes = (news_scope(), user_scope(user_id)) if user_id else (news_scope(),)
    generations = ":".join(str(g) for g in generations_read(*scopes))
    key = f"news-home:{scopes[0]}:{user_id}:{generations}"
    items = shared_get_or_compute(key, lambda: _latest(user_id), HOME_CACHE_SECONDS)
    return {"items": items} if items else None


def register_home_section() -> None:
    home_section_register(HomeSection("news", "news/_home_section.html", latest_news, order=10))
