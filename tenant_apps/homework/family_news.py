"""The notebook's item in the family view: the homework each child has due in the coming week and
not yet ticked done (three queries for all the children of one establishment, in its schema)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from shared_apps.identity.family_news import FamilyChild, NewsItem, family_news_provider
from shared_apps.identity.models import User
from tenant_apps.homework.models import Homework, HomeworkDone
from tenant_apps.structure.models import Group
from tenants.models import Establishment

AHEAD_DAYS = 7


@family_news_provider
def homework_due_soon(
    *, establishment: Establishment, guardian: User, children: Sequence[FamilyChild]
) -> Mapping[int, Sequence[NewsItem]]:
    by_member = {child.member.pk: child for child in children if child.member is not None}
    if not by_member:
        return {}
    today = timezone.localdate()
    path = reverse("homework-home", urlconf="mbn_platform.config.urls_tenant")
    groups: dict[int, set[int]] = {}
    for member_pk, group_id in Group.members.through.objects.filter(
        member_id__in=list(by_member)
    ).values_list("member_id", "group_id"):
        groups.setdefault(member_pk, set()).add(group_id)
    classes = {pk: c.member.school_class_id for pk, c in by_member.items() if c.member is not None}
    due = list(
        Homework.objects.filter(
            Q(school_class_id__in=[c for c in classes.values() if c])
            | Q(group_id__in={g for found in groups.values() for g in found}),
            due_on__range=(today, today + datetime.timedelta(days=AHEAD_DAYS)),
        ).values_list("pk", "school_class_id", "group_id")
    )
    done = set(
        HomeworkDone.objects.filter(
            student_id__in=list(by_member), homework_id__in=[pk for pk, _c, _g in due]
        ).values_list("student_id", "homework_id")
    )
    items: dict[int, list[NewsItem]] = {}
    for member_pk, child in by_member.items():
        mine = groups.get(member_pk, set())
        count = sum(
            1
            for pk, class_id, group_id in due
            if ((class_id is not None and class_id == classes.get(member_pk)) or group_id in mine)
            and (member_pk, pk) not in done
        )
        if count:
            name = child.user.first_name or child.user.display_name
            items[child.user_id] = [
                NewsItem(
                    text=ngettext(
                        "%(name)s has %(count)d homework due this week.",
                        "%(name)s has %(count)d pieces of homework due this week.",
                        count,
                    )
                    % {"name": name, "count": count},
                    url=f"{path}?student={child.user_id}",
                    kind="homework",
                )
            ]
    return items
