"""`mbn onboard`: onboard one establishment now (a recorded job, run here)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mbn_platform.kernel.errors import ApplicationError
from tenants.models import JobStatus
from tenants.provisioning.jobs import onboarding_job_create, provisioning_job_run


class Command(BaseCommand):
    help = "Onboard one establishment: its schema cloned from the template, its domain, its first admin."

    def add_arguments(self, parser: Any) -> None:
        for name in ("uai", "name", "kind", "academie", "departement", "subdomain"):
            parser.add_argument(f"--{name}", required=True)
        parser.add_argument("--admin-email", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        data = {key: options[key] for key in ("uai", "name", "kind", "academie", "departement", "subdomain")}
        data["admin_email"] = options["admin_email"]
        try:
            job = provisioning_job_run(job_id=onboarding_job_create(actor=None, data=data).pk)
        except ApplicationError as error:
            details = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.fields.items())
            raise CommandError(f"{error.message} {details}".strip()) from error
        if job.status != JobStatus.SUCCEEDED:
            raise CommandError(
                f"Job {job.pk} failed: {job.error.splitlines()[0]}\n"
                f"Resume it with `mbn provisioning_job resume {job.pk}` or undo it with "
                f"`mbn provisioning_job rollback {job.pk}`."
            )
        self.stdout.write(f"Onboarded {job.uai} (job {job.pk}).")
