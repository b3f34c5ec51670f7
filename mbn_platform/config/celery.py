"""The Celery app. Tasks carry the schema of the establishment that enqueued them
(tenant-schemas-celery) and run in it."""

from __future__ import annotations

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mbn_platform.config.settings")

app = CeleryApp("mbn")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The wiring's own tasks (mbn_platform is an installed app; its tasks live beside this module).
app.conf.include = ["mbn_platform.config.tasks"]


def _filesystem_broker_folders() -> None:
    """kombu's filesystem transport and the file result backend need their folders to exist."""
    from pathlib import Path

    from django.conf import settings

    if settings.CELERY_BROKER_URL != "filesystem://":
        return
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        Path(str(options[key])).mkdir(parents=True, exist_ok=True)
    Path(settings.CELERY_RESULT_BACKEND.removeprefix("file://")).mkdir(parents=True, exist_ok=True)


_filesystem_broker_folders()
