"""Celery's broker and the periodic tasks (beat), read by mbn_platform/config/settings.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from celery.schedules import crontab


def broker(*, redis_url: str, state_dir: Path, visibility_timeout: int) -> tuple[str, str, dict[str, Any]]:
    """(broker URL, result backend, transport options): Redis when it is configured, else kombu's
    filesystem transport under the state directory (the demo and tests without Redis)."""
    if redis_url:
        # With acks_late, a task whose worker died before acknowledging it goes back to the queue
        # after ``visibility_timeout`` seconds: longer than any task runs, or it would run twice at
        # once. The reapers (tenants/provisioning/reaper.py, shared_apps/directory/reaper.py) resume
        # the jobs and imports of a dead worker within a minute, whatever the broker.
        return redis_url, redis_url, {"visibility_timeout": visibility_timeout}
    queue_dir = state_dir / "celery"
    options = {
        "data_folder_in": str(queue_dir / "queue"),
        "data_folder_out": str(queue_dir / "queue"),
        "processed_folder": str(queue_dir / "processed"),
        "control_folder": str(queue_dir / "control"),
        "store_processed": False,
    }
    return "filesystem://", f"file://{queue_dir / 'results'}", options


BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    # Impersonations end by themselves at their limit (requests made during one also end it).
    "support-impersonations-expire": {"task": "mbn.support.impersonations_expire", "schedule": 60.0},
    # What must not be kept any more (shared_apps/privacy/retention.py), every night.
    "privacy-retention-purge": {"task": "mbn.privacy.retention_purge", "schedule": 24 * 60 * 60.0},
    # The académies' AAF files land at night: picked up every 15 minutes from midnight to 7 a.m.
    # (a run a worker lost is resumed by the next one).
    "directory-aaf-feeds": {
        "task": "mbn.directory.aaf_feeds_tick",
        "schedule": crontab(minute="*/15", hour="0-6"),
    },
    # Yesterday's usage per establishment, and any day missed before it (shared_apps/billing).
    "billing-metering": {"task": "mbn.billing.metering_catch_up", "schedule": crontab(hour=2, minute=30)},
    # The GAR's nightly export of people, classes and groups (shared_apps/connectors/gar_export.py),
    # after the AAF files of the night; a failed delivery retries (the task) and shows on the console.
    "connectors-gar-export": {"task": "mbn.connectors.gar_export", "schedule": crontab(hour=4, minute=15)},
    # LTI 1.3's used nonces and expired tokens (shared_apps/connectors/lti_services.py).
    "connectors-lti-purge": {"task": "mbn.connectors.lti_purge", "schedule": crontab(hour=3, minute=40)},
    # Guardians are reminded of their appointments of the next 24 hours (tenant_apps/appointments).
    "appointments-reminders": {"task": "mbn.appointments.reminders", "schedule": crontab(minute="*/15")},
    # Families who have not answered a form are reminded before its deadline (tenant_apps/forms).
    "forms-reminders": {"task": "mbn.forms.reminders", "schedule": crontab(hour=9, minute=0)},
    # Notifications (tenant_apps/notifications): the daily digest at 17:30 (outside the default
    # quiet hours), and every half hour what a lost task left behind.
    "notifications-digest": {"task": "mbn.notifications.digest", "schedule": crontab(hour=17, minute=30)},
    "notifications-sweep": {"task": "mbn.notifications.sweep", "schedule": 30 * 60.0},
    # The homework due tomorrow (tenant_apps/homework/notices.py), before the digest of 17:30.
    "homework-due-tomorrow": {"task": "mbn.homework.due_tomorrow", "schedule": crontab(hour=16, minute=45)},
    # Work whose worker died (killed, out of memory): found by its lease, resumed or failed visibly.
    "provisioning-jobs-reap": {"task": "tenants.provisioning_jobs_reap", "schedule": 60.0},
    "directory-imports-reap": {"task": "mbn.directory.imports_reap", "schedule": 60.0},
}
