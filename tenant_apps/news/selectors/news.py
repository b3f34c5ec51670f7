"""Reads of news, scoped to the reader: what they are meant to see and is published (visitors:
the public items), the latest for the home page, every item for the publishers' editor."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from tenant_apps.news.audience import visible_condition
from tenant_apps.news.models import NewsItem, NewsState
from tenant_apps.school.models import Member


def me(user_id: int | None) -> Member | None:
    return Member.objects.filter(user_id=user_id, is_active=True).first() if user_id else None


def news_visible(*, member: Member | None) -> QuerySet[NewsItem]:
    """The published items the reader is meant to see, newest first (an item past its end that
    the beat has not reached yet is already hidden)."""
    now = timezone.now()
    return (
        NewsItem.objects.filter(visible_condition(member), state=NewsState.PUBLISHED)
        .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))
        .select_related("author")
        .order_by("-published_at", "-pk")
    )


def news_all() -> QuerySet[NewsItem]:
    """Every item, for the publishers' editor (drafts and scheduled first)."""
    return (
        NewsItem.objects.select_related("author")
        .prefetch_related("targets__school_class", "targets__group")
        .order_by("-updated_at", "-pk")
    )


def news_readable(*, member: Member | None, may_edit: bool) -> QuerySet[NewsItem]:
    """What a detail page may show: every item to a publisher, else what the reader may see."""
    return news_all() if may_edit else news_visible(member=member)
