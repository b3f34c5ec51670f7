"""Bulk onboarding from a CSV of establishments: a preview with errors by line, then one job per
establishment, run in parallel (Celery workers, or local processes from the command line)."""

from __future__ import annotations

import csv
import io
import multiprocessing
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connections, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor, actor_id
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.errors import ValidationFailed
from tenants.models import JobStatus, ProvisioningBatch, ProvisioningJob
from tenants.provisioning.jobs import onboarding_job_create
from tenants.provisioning.tasks import provisioning_job_enqueue
from tenants.provisioning.validation import OnboardingData, onboarding_conflicts, onboarding_data_clean

REQUIRED_COLUMNS = ("uai", "name", "kind", "academie", "departement", "subdomain")
OPTIONAL_COLUMNS = ("admin_email", "funder")
MAX_ROWS = 5000


@dataclass
class PreviewRow:
    line: int
    data: OnboardingData | None
    raw: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class BulkPreview:
    rows: list[PreviewRow]
    file_errors: list[str] = field(default_factory=list)

    @property
    def valid(self) -> list[OnboardingData]:
        return [row.data for row in self.rows if row.data is not None and not row.errors]

    @property
    def invalid(self) -> list[PreviewRow]:
        return [row for row in self.rows if row.errors]

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.invalid and bool(self.rows)


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationFailed(fields={"file": [_("The file is not a text (CSV) file.")]})


def bulk_onboarding_preview(*, content: bytes) -> BulkPreview:
    """Check every line of the CSV against the rules and the database, writing nothing."""
    text = _decode(content)
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else "", delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        return BulkPreview(
            rows=[], file_errors=[_("Missing columns: %(cols)s.") % {"cols": ", ".join(missing)}]
        )
    reader.fieldnames = header
    rows: list[PreviewRow] = []
    for raw in reader:
        if len(rows) >= MAX_ROWS:
            return BulkPreview(
                rows=rows, file_errors=[_("At most %(n)d establishments per file.") % {"n": MAX_ROWS}]
            )
        values = {k: (v or "").strip() for k, v in raw.items() if k in REQUIRED_COLUMNS + OPTIONAL_COLUMNS}
        data, errors = onboarding_data_clean(values)
        rows.append(PreviewRow(line=reader.line_num, data=data, raw=values, errors=errors))
    if not rows:
        return BulkPreview(rows=[], file_errors=[_("The file has no establishment.")])
    uais = Counter(row.data.uai for row in rows if row.data)
    subdomains = Counter(row.data.subdomain for row in rows if row.data)
    for row in rows:
        if row.data is None:
            continue
        if uais[row.data.uai] > 1:
            row.errors.setdefault("uai", []).append(_("This UAI code appears more than once in the file."))
        if subdomains[row.data.subdomain] > 1:
            row.errors.setdefault("subdomain", []).append(
                _("This subdomain appears more than once in the file.")
            )
        for name, messages in onboarding_conflicts(row.data).items():
            row.errors.setdefault(name, []).extend(messages)
    return BulkPreview(rows=rows)


def preview_errors_as_fields(preview: BulkPreview) -> dict[str, list[str]]:
    """The preview's problems as ``{"file": [...], "line 7": ["uai: ..."]}``."""
    fields: dict[str, list[str]] = {}
    if preview.file_errors:
        fields["file"] = list(preview.file_errors)
    for row in preview.invalid:
        fields[_("line %(n)d") % {"n": row.line}] = [
            f"{name}: {m}" for name, ms in row.errors.items() for m in ms
        ]
    return fields


@transaction.atomic
def bulk_onboarding_start(
    *, actor: Actor | None, content: bytes, source_name: str = "", enqueue: bool = True
) -> ProvisioningBatch:
    """Record one job per establishment of a valid file (all or none), then queue them."""
    preview = bulk_onboarding_preview(content=content)
    if not preview.ok:
        raise ValidationFailed(
            _("The file has errors; nothing was started."), fields=preview_errors_as_fields(preview)
        )
    batch = ProvisioningBatch.objects.create(source_name=source_name[:200], created_by_id=actor_id(actor))
    for data in preview.valid:
        job = onboarding_job_create(actor=actor, data=data, batch=batch)
        if enqueue:
            provisioning_job_enqueue(job=job)
    audit_record(
        actor=actor,
        action="provisioning.bulk_start",
        details={"batch": batch.pk, "count": len(preview.valid), "source": source_name},
    )
    return batch


@dataclass(frozen=True)
class BatchProgress:
    total: int
    by_status: dict[str, int]

    @property
    def finished(self) -> int:
        return sum(
            self.by_status.get(s, 0) for s in (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.ROLLED_BACK)
        )

    @property
    def percent(self) -> int:
        return int(100 * self.finished / self.total) if self.total else 100

    @property
    def done(self) -> bool:
        return self.finished >= self.total


def batch_progress(*, batch: ProvisioningBatch) -> BatchProgress:
    counts = {
        row["status"]: row["n"]
        for row in ProvisioningJob.objects.filter(batch=batch).values("status").annotate(n=Count("pk"))
    }
    return BatchProgress(total=sum(counts.values()), by_status=counts)


def _run_one(job_id: int) -> str:
    from tenants.provisioning.jobs import provisioning_job_run

    try:
        return str(provisioning_job_run(job_id=job_id).status)
    finally:
        connections.close_all()


def provisioning_jobs_run_parallel(*, job_ids: Iterable[int], processes: int = 2) -> Counter[str]:
    """Run jobs in local worker processes (the command line and benchmarks; Celery otherwise)."""
    ids = list(job_ids)
    connections.close_all()  # children must open their own connections
    context = multiprocessing.get_context("fork")
    with context.Pool(processes=max(1, processes), maxtasksperchild=200) as pool:
        return Counter(pool.imap_unordered(_run_one, ids, chunksize=4))
