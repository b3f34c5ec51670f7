"""Report cards' item in the family view: a report card published in the last month, per child
(one query for all the children of one establishment, in its schema)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from shared_apps.identity.family_news import FamilyChild, NewsItem, family_news_provider
from shared_apps.identity.models import User
from tenant_apps.reportcards.models import ReportCard
from tenants.models import Establishment

WINDOW_DAYS = 31


@family_news_provider
def new_report_cards(
    *, establishment: Establishment, guardian: User, children: Sequence[FamilyChild]
) -> Mapping[int, Sequence[NewsItem]]:
    by_member = {child.member.pk: child for child in children if child.member is not None}
    if not by_member:
        return {}
    today = timezone.localdate()
    cards = ReportCard.objects.filter(
        student_id__in=list(by_member),
        is_current=True,
        published_on__gte=today - datetime.timedelta(days=WINDOW_DAYS),
        published_on__lte=today,
    ).select_related("period")
    zone = ZoneInfo(settings.TIME_ZONE)
    path = reverse("reportcards-home", urlconf="mbn_platform.config.urls_tenant")
    items: dict[int, list[NewsItem]] = {}
    for card in cards:
        child = by_member[card.student_id]
        name = child.user.first_name or child.user.display_name
        items.setdefault(child.user_id, []).append(
            NewsItem(
                text=gettext("The report card of %(name)s for %(period)s is available.")
                % {"name": name, "period": card.period.name},
                url=path,
                kind="report_card",
                at=datetime.datetime.combine(card.published_on, datetime.time(8), tzinfo=zone),
            )
        )
    return items
