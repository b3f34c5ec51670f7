"""News's part of the portal's home page (``shared_apps.identity.public_news``): the current
establishment's newest public items (one query)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import strip_tags
from django.utils.text import Truncator

from shared_apps.identity.public_news import PublicNewsRow, public_news_provider
from tenant_apps.news.selectors.news import news_visible


@public_news_provider
def public_rows(limit: int) -> Sequence[PublicNewsRow]:
    return [
        PublicNewsRow(
            title=item.title,
            excerpt=Truncator(strip_tags(item.body)).chars(200),
            published_at=item.published_at or item.updated_at,
            path=f"/news/{item.pk}/",
        )
        for item in news_visible(member=None)[:limit]
    ]
