"""Telling guardians, the same day, that their child was marked absent: the work the notice task
does (``tasks.absence_notices_send_task``), once the register is saved (``services.register_save``)
or a held notice is released (``services.absence_notices_review``)."""

from __future__ import annotations

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from tenant_apps.attendance.models import AttendanceMark, MarkStatus, NoticeState
from tenant_apps.attendance.selectors import REGISTER_SUBJECT
from tenant_apps.timetable.notifications import guardians_of, people_emails


def absence_notices_send(*, register_ids: list[int]) -> int:
    """E-mail each linked guardian of the students whose absence is queued in these registers;
    idempotent (a mark is sent once: ``notice`` becomes ``sent`` in the same transaction)."""
    sent = 0
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
            emails = people_emails(user_ids=guardians.get(mark.student.user_id, set()))
            for email, language in emails:
                with translation.override(language or "fr"):
                    subject = gettext("Absence of %(name)s") % {"name": mark.student.display_name}
                    body = gettext(
                        "%(name)s was marked absent on %(date)s at %(time)s (%(subject)s). "
                        "Please justify this absence in the school's space."
                    ) % {
                        "name": mark.student.display_name,
                        "date": mark.date,
                        "time": f"{mark.start_time:%H:%M}",
                        "subject": mark.register.subject_name,
                    }
                send_mail(subject, body, None, [email])
                sent += 1
        AttendanceMark.objects.filter(pk__in=[m.pk for m in marks]).update(
            notice=NoticeState.SENT, noticed_at=timezone.now()
        )
    return sent
