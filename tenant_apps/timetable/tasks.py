"""Celery tasks of the timetable (thin: they call a service)."""

from __future__ import annotations

from celery import shared_task


@shared_task(
    name="mbn.timetable.lesson_change_notify",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def lesson_change_notify_task(change_id: int) -> int:
    """E-mail the people concerned by a lesson change. Idempotent: sent once per change version."""
    from tenant_apps.timetable.notifications import lesson_change_notification_send

    return lesson_change_notification_send(change_id=change_id)


@shared_task(
    name="mbn.timetable.lesson_change_undone_notify",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def lesson_change_undone_notify_task(lesson_id: int, day: str, extra_user_ids: list[int]) -> int:
    """E-mail the people concerned that a change was undone (the lesson takes place as planned).
    Sends nothing when the occurrence has been changed again meanwhile."""
    import datetime

    from tenant_apps.timetable.notifications import lesson_change_undone_notification_send

    return lesson_change_undone_notification_send(
        lesson_id=lesson_id, day=datetime.date.fromisoformat(day), extra_user_ids=extra_user_ids
    )


@shared_task(
    name="mbn.timetable.teacher_absence_notify",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def teacher_absence_notify_task(absence_id: int) -> int:
    """Tell the people concerned by a teacher's absence, once each (idempotent)."""
    from tenant_apps.timetable.substitution_notices import teacher_absence_notification_send

    return teacher_absence_notification_send(absence_id=absence_id)
