"""Telling guardians, the same day, that their child was marked absent: the work the notice task
does (``tasks.absence_notices_send_task``), once the register is saved (``services.register_save``)
or a held notice is released (``services.absence_notices_review``). The notices go through the
notification service (type ``absence``: urgent by default, so e-mailed at once and texted to
those who gave a number, per each guardian's preferences)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from shared_apps.notifications.service import notify
from shared_apps.notifications.text import Text
from shared_apps.notifications.types import NotificationType
from tenant_apps.attendance.models import AttendanceMark, MarkStatus, NoticeState
from tenant_apps.attendance.selectors import REGISTER_SUBJECT
from tenant_apps.timetable.notifications import guardians_of


def absence_notices_send(*, register_ids: list[int]) -> int:
    """Notify each linked guardian of the students whose absence is queued in these registers;
    idempotent (a mark is notified once: ``notice`` becomes ``sent`` in the same transaction).
    Returns the number of guardians told."""
    told = 0
    with transaction.atomic():
        marks = list(
            AttendanceMark.objects.select_for_update(of=("self",), skip_locked=True)
            .filter(register_id__in=register_ids, notice=NoticeState.QUEUED, status=MarkStatus.ABSENT)
            .select_related("student", *REGISTER_SUBJECT)
        )
        if not marks:
            return 0
        guardians = guardians_of(child_user_ids={m.student.user_id for m in marks})
        for mark in marks:
            notified = notify(
                actor=None,
                type=NotificationType.ABSENCE,
                recipients=guardians.get(mark.student.user_id, set()),
                title=Text(gettext_noop("Absence of %(name)s"), name=mark.student.display_name),
                body=Text(
                    gettext_noop(
                        "%(name)s was marked absent on %(date)s at %(time)s (%(subject)s). "
                        "Please justify this absence in the school's space."
                    ),
                    name=mark.student.display_name,
                    date=mark.date,
                    time=mark.start_time,
                    subject=mark.register.subject_name,
                ),
                link="/attendance/family/",
                source=f"absence-mark:{mark.pk}",
                about_user_id=mark.student.user_id,
            )
            told += notified.recipients
        AttendanceMark.objects.filter(pk__in=[m.pk for m in marks]).update(
            notice=NoticeState.SENT, noticed_at=timezone.now()
        )
    return told
