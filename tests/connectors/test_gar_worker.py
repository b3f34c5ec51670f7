"""An operator starts the night's export to the GAR from the console: the real Celery worker
builds and delivers it (the local folder outside production), once."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from shared_apps.connectors.models import GarExport, GarExportStatus
from tests.conftest import client_for
from tests.support.helpers import operator

pytestmark = pytest.mark.worker


def test_the_worker_delivers_the_night_an_operator_starts(celery_queue, django_db_blocker):
    night = timezone.localdate()
    with django_db_blocker.unblock():
        GarExport.objects.filter(night=night).delete()
        boss = operator()
        try:
            connection.set_schema_to_public()
            with override_settings(CELERY_TASK_DEFAULT_QUEUE=celery_queue):
                started = client_for(boss).post("/connectors/gar-exports/")
            assert started.status_code == 302
            deadline = time.monotonic() + 90
            run = None
            while time.monotonic() < deadline:
                run = GarExport.objects.filter(night=night).first()
                if run is not None and run.status != GarExportStatus.RUNNING:
                    break
                time.sleep(0.2)

            assert run is not None and run.status == GarExportStatus.DELIVERED, run and run.error
            delivered = Path(settings.GAR_EXPORT["LOCAL_DIR"]) / run.files[0]
            assert any("GAR-ENT-Full-Eleve" in name for name in zipfile.ZipFile(delivered).namelist())
            assert run.counts["establishments"] >= 2
        finally:
            for run in GarExport.objects.filter(night=night):
                for name in run.files:
                    (Path(settings.GAR_EXPORT["LOCAL_DIR"]) / name).unlink(missing_ok=True)
                run.delete()
            boss.delete()
