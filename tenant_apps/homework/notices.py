"""What the notebook tells people, through the notification service (centre, preferences, quiet
hours, digest): the homework due tomorrow, to each student of its class or group who has not
ticked it done, and to their guardians. Run every afternoon by ``tasks.py`` in each
establishment's schema; idempotent (one notification per homework and audience: ``source``)."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from shared_apps.identity.models import GuardianLink
from shared_apps.identity.roles import Role
from shared_apps.notifications.service import notify
from shared_apps.notifications.text import Text
from shared_apps.notifications.types import NotificationType
from tenant_apps.homework.models import Homework, HomeworkDone
from tenant_apps.school.models import Member
from tenant_apps.structure.models import Group


def _students_of(homework: Homework) -> list[Member]:
    if homework.school_class_id:
        audience = Q(school_class_id=homework.school_class_id)
    else:
        audience = Q(
            pk__in=Group.members.through.objects.filter(group_id=homework.group_id or 0).values("member_id")
        )
    done = HomeworkDone.objects.filter(homework=homework).values("student_id")
    return list(
        Member.objects.filter(audience, roles__contains=[Role.STUDENT], is_active=True).exclude(pk__in=done)
    )


def homework_due_tomorrow_notify(*, today: datetime.date | None = None) -> int:
    """Notify tomorrow's homework (in the current schema); returns the notifications made."""
    tomorrow = (today or timezone.localdate()) + datetime.timedelta(days=1)
    made = 0
    for homework in Homework.objects.filter(due_on=tomorrow).select_related("subject"):
        students = _students_of(homework)
        if not students:
            continue
        title = Text(gettext_noop("Homework due tomorrow: %(subject)s"), subject=homework.subject.name)
        link = f"/homework/{homework.pk}/"
        student_ids = [s.user_id for s in students]
        made += notify(
            actor=None,
            type=NotificationType.HOMEWORK,
            recipients=student_ids,
            title=title,
            body=Text(gettext_noop("Tick it done once finished.")),
            link=link,
            source=f"homework:{homework.pk}:due:students",
        ).created
        guardians = sorted(
            set(GuardianLink.objects.filter(child_id__in=student_ids).values_list("guardian_id", flat=True))
        )
        if guardians:
            made += notify(
                actor=None,
                type=NotificationType.HOMEWORK,
                recipients=guardians,
                title=title,
                body=Text(gettext_noop("Homework your child has not ticked done yet.")),
                link=link,
                source=f"homework:{homework.pk}:due:guardians",
            ).created
    return made
