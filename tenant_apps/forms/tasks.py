"""Celery tasks of the administrative desk (thin)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="mbn.forms.reminders", acks_late=True, autoretry_for=(OSError,), max_retries=3)
def form_reminders_task() -> int:
    """Remind the people who have not answered a form, a few days before its deadline (daily)."""
    from tenant_apps.forms.notices import form_reminders_everywhere

    return form_reminders_everywhere()
