"""Grades' item in the family view: the grades published in the last fortnight, per child.

Two queries for all the children of one establishment, in its schema: their groups, then the
count of grades published in the window (an assessment is "new" from its publication date).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from shared_apps.identity.family_news import FamilyChild, NewsItem, family_news_provider
from shared_apps.identity.models import User
from tenant_apps.grades.models import Grade
from tenants.models import Establishment

WINDOW_DAYS = 14


@family_news_provider
def new_grades(
    *, establishment: Establishment, guardian: User, children: Sequence[FamilyChild]
) -> Mapping[int, Sequence[NewsItem]]:
    by_member = {child.member.pk: child for child in children if child.member is not None}
    if not by_member:
        return {}
    today = timezone.localdate()
    since = today - datetime.timedelta(days=WINDOW_DAYS)
    rows = Grade.objects.filter(
        Q(student_id__in=list(by_member)),
        assessment__published_on__gte=since,
        assessment__published_on__lte=today,
    ).values_list("student_id", "assessment__published_on")
    counts: Counter[int] = Counter()
    latest: dict[int, datetime.date] = {}
    for student_id, day in rows:
        if day is None:
            continue
        counts[student_id] += 1
        latest[student_id] = max(latest.get(student_id, day), day)
    zone = ZoneInfo(settings.TIME_ZONE)
    items: dict[int, list[NewsItem]] = {}
    for member_pk, count in counts.items():
        child = by_member[member_pk]
        name = child.user.first_name or child.user.display_name
        path = reverse("grades-student", args=[child.user_id], urlconf="mbn_platform.config.urls_tenant")
        items[child.user_id] = [
            NewsItem(
                text=ngettext(
                    "%(name)s has %(count)d new grade.", "%(name)s has %(count)d new grades.", count
                )
                % {"name": name, "count": count},
                url=path,
                kind="grade",
                at=datetime.datetime.combine(latest[member_pk], datetime.time(8), tzinfo=zone),
            )
        ]
    return items
