"""What news and notices add, at start-up (``apps.py``), to the school's pages: their entries in
the navigation and the latest news on the home page (the public items for visitors)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from mbn_platform.kernel.tenancy import request_access
from tenant_apps.news.permissions import NEWS_READERS, NOTICE_READERS
from tenant_apps.news.selectors.news import me, news_visible
from tenant_apps.school.home_sections import HomeSection, home_section_register
from tenant_apps.school.navigation import NavEntry, navigation_register

HOME_ITEMS = 4


def register_navigation() -> None:
    navigation_register(
        NavEntry(gettext_lazy("News"), "news-list", NEWS_READERS, order=5),
        NavEntry(gettext_lazy("Notices"), "notices", NOTICE_READERS, order=6),
    )


def latest_news(request: HttpRequest) -> dict[str, Any] | None:
    """The newest items the reader may see (two queries; none shown: no section)."""
    access = request_access(request)
    member = me(access.user_id) if access.user_id else None
    items = list(news_visible(member=member)[:HOME_ITEMS])
    return {"items": items} if items else None


def register_home_section() -> None:
    home_section_register(HomeSection("news", "news/_home_section.html", latest_news, order=10))
