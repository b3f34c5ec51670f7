"""`mbn onboard_bulk FILE.csv`: check a CSV of establishments, then onboard them all in parallel."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mbn_platform.kernel.errors import ApplicationError
from tenants.models import ProvisioningBatch, ProvisioningJob
from tenants.provisioning.bulk import (
    batch_progress,
    bulk_onboarding_preview,
    bulk_onboarding_start,
    provisioning_jobs_run_parallel,
)


def progress_bar(percent: int, width: int = 40) -> str:
    filled = width * percent // 100
    return "[" + "#" * filled + "." * (width - filled) + f"] {percent:3d}%"


class Command(BaseCommand):
    help = (
        "Onboard the establishments of a CSV file (uai, name, kind, academie, departement, subdomain, "
        "admin_email). Nothing starts if a line is wrong. By default the jobs go to the Celery workers and "
        "this command shows their progress; --local N runs them in N local processes instead."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--local", type=int, default=0, metavar="N", help="Run the jobs in N local processes."
        )
        parser.add_argument("--no-wait", action="store_true", help="Queue the jobs and return.")
        parser.add_argument("--check", action="store_true", help="Only check the file.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        content = path.read_bytes()
        try:
            preview = bulk_onboarding_preview(content=content)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        for message in preview.file_errors:
            self.stderr.write(message)
        for row in preview.invalid:
            for field, messages in row.errors.items():
                self.stderr.write(f"line {row.line}: {field}: {' '.join(messages)}")
        if not preview.ok:
            raise CommandError(f"{len(preview.invalid)} line(s) with errors; nothing was started.")
        self.stdout.write(f"{len(preview.valid)} establishment(s) ready.")
        if options["check"]:
            return
        local = options["local"]
        batch = bulk_onboarding_start(actor=None, content=content, source_name=path.name, enqueue=not local)
        if local:
            job_ids = list(ProvisioningJob.objects.filter(batch=batch).values_list("pk", flat=True))
            provisioning_jobs_run_parallel(job_ids=job_ids, processes=local)
        elif options["no_wait"]:
            self.stdout.write(f"Batch {batch.pk} queued.")
            return
        self._follow(batch)

    def _follow(self, batch: ProvisioningBatch) -> None:
        while True:
            progress = batch_progress(batch=batch)
            self.stdout.write("\r" + progress_bar(progress.percent), ending="")
            self.stdout.flush()
            if progress.done:
                break
            time.sleep(1)
        self.stdout.write("")
        failed = progress.by_status.get("failed", 0)
        self.stdout.write(f"Batch {batch.pk}: {progress.by_status}")
        if failed:
            raise CommandError(f"{failed} job(s) failed: see the console or `mbn provisioning_job`.")
