"""Notices in the family view: "N notices to acknowledge" for each child (one query for all the
children of one establishment, in its schema)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import ngettext

from shared_apps.identity.family_news import FamilyChild, NewsItem, family_news_provider
from shared_apps.identity.models import User
from tenant_apps.news.models import NoticeRecipient
from tenants.models import Establishment


@family_news_provider
def notices_to_acknowledge(
    *, establishment: Establishment, guardian: User, children: Sequence[FamilyChild]
) -> Mapping[int, Sequence[NewsItem]]:
    by_user = {child.user_id: child for child in children if child.member is not None}
    if not by_user:
        return {}
    counts = (
        NoticeRecipient.objects.filter(
            guardian__user_id=guardian.pk, student__user_id__in=list(by_user), acknowledged_at__isnull=True
        )
        .values("student__user_id")
        .annotate(n=Count("pk"))
    )
    path = reverse("notices", urlconf="mbn_platform.config.urls_tenant")
    items: dict[int, list[NewsItem]] = {}
    for row in counts:
        user_id, count = row["student__user_id"], row["n"]
        child = by_user[user_id]
        name = child.user.first_name or child.user.display_name
        text = ngettext(
            "%(count)d notice to acknowledge for %(name)s.",
            "%(count)d notices to acknowledge for %(name)s.",
            count,
        ) % {"count": count, "name": name}
        items[user_id] = [NewsItem(text=text, url=path, kind="notice")]
    return items
