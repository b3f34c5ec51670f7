"""`mbn provisioning_job resume|rollback|show ID`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mbn_platform.kernel.errors import ApplicationError
from tenants.models import ProvisioningJob
from tenants.provisioning.jobs import provisioning_job_rollback, provisioning_job_run


class Command(BaseCommand):
    help = "Show, resume (from its first step not done) or roll back (to nothing) a provisioning job."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["show", "resume", "rollback"])
        parser.add_argument("job_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        if not ProvisioningJob.objects.filter(pk=options["job_id"]).exists():
            raise CommandError(f"No job {options['job_id']}.")
        try:
            if options["action"] == "resume":
                job = provisioning_job_run(job_id=options["job_id"])
            elif options["action"] == "rollback":
                job = provisioning_job_rollback(actor=None, job_id=options["job_id"])
            else:
                job = ProvisioningJob.objects.get(pk=options["job_id"])
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"Job {job.pk} {job.kind} {job.uai}: {job.status}")
        for name, state in job.steps.items():
            self.stdout.write(f"  {name}: {state.get('status')} {state.get('error', '')}".rstrip())
        if job.status == "failed":
            raise CommandError(job.error.splitlines()[0] if job.error else "failed")
