"""The demo's notifications (issue 15), through the real senders and the notification service:
this week's lesson changes of Léa's class (collège) and Tom's class (lycée) told to their
students, guardians and teachers, and Léa's latest absence told to Claire Martin. Delivery runs
at once for a fixed hour of the demo day (noon: outside the quiet hours), then the day's digest
(17:30): Claire finds both schools' notifications in her centre and one digest e-mail grouping
them in the caught mail (``/notifications/caught-mail/``, region operators). Idempotent."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tenants.utils import schema_context

from shared_apps.notify.service import notify
from shared_apps.notify.text import Text
from shared_apps.notify.types import NotificationType
from tenant_apps.attendance.models import AttendanceMark, MarkStatus
from tenant_apps.notifications.delivery import deliveries_send_due, notification_plan
from tenant_apps.notifications.digest import digest_run
from tenant_apps.notifications.models import Notification
from tenant_apps.timetable.models import LessonChange
from tenant_apps.timetable.notifications import lesson_change_notification_send
from tenants.models import Establishment

#: (school, class) whose changes are told: Léa's and Tom's.
CLASSES = (("pasteur", "4e B"), ("kleber", "2nde 1"))


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def demo_notifications_seed(
    *, establishments: dict[str, Establishment], claire_id: int, lea_id: int, day: datetime.date
) -> int:
    """Notify, deliver and send the day's digest; returns how many notifications were new."""
    new = 0
    for subdomain, class_name in CLASSES:
        establishment = establishments[subdomain]
        with schema_context(establishment.schema_name):
            changes = LessonChange.objects.filter(
                lesson__school_class__name=class_name, notified_at__isnull=True
            ).order_by("date", "pk")
            for change in changes:
                new += 1 if lesson_change_notification_send(change_id=change.pk) else 0
            if subdomain == "pasteur":
                new += _absence(claire_id=claire_id, lea_id=lea_id)
            for pk in Notification.objects.filter(planned_at__isnull=True).values_list("pk", flat=True):
                notification_plan(notification_id=pk, now=_at(day, 12))
            deliveries_send_due(now=_at(day, 12))
    digest_run(establishments=[establishments[s] for s, _c in CLASSES], now=_at(day, 17, 30))
    return new


def _absence(*, claire_id: int, lea_id: int) -> int:
    mark = (
        AttendanceMark.objects.filter(student__user_id=lea_id, status=MarkStatus.ABSENT)
        .select_related("student", "register")
        .order_by("-register__date", "-pk")
        .first()
    )
    if mark is None:
        return 0
    notified = notify(
        actor=None,
        type=NotificationType.ABSENCE,
        recipients=[claire_id],
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
        about_user_id=lea_id,
    )
    return 1 if notified.created else 0
