"""Bulk onboarding from a CSV: errors by line before anything starts, then one job each."""

from __future__ import annotations

import pytest

from mbn_platform.kernel.errors import ValidationFailed
from tenants.models import Establishment, JobStatus, ProvisioningJob
from tenants.provisioning.bulk import batch_progress, bulk_onboarding_preview, bulk_onboarding_start
from tenants.provisioning.jobs import provisioning_job_run
from tenants.provisioning.region import region_csv, region_establishments

HEADER = "uai;name;kind;academie;departement;subdomain;admin_email\n"


def test_the_preview_reports_each_bad_line_with_its_number(school_a):
    content = (
        HEADER
        + "0675000W;Collège Jean Moulin;college;Strasbourg;67;jean-moulin;\n"
        + "0675000W;Doublon;college;Strasbourg;67;doublon;\n"  # same UAI as line 2
        + f"{school_a.uai};Déjà là;lycee;Strasbourg;67;deja-la;\n"  # UAI already onboarded
        + "0675001Z;Mauvaise clé;university;Strasbourg;6;Pas Bon;pas-un-mail\n"
    ).encode()
    preview = bulk_onboarding_preview(content=content)

    assert [row.line for row in preview.invalid] == [2, 3, 4, 5]
    assert "more than once" in preview.invalid[0].errors["uai"][0]
    assert "being onboarded" in preview.invalid[2].errors["uai"][0]
    assert set(preview.invalid[3].errors) == {"uai", "kind", "departement", "subdomain", "admin_email"}
    with pytest.raises(ValidationFailed) as raised:
        bulk_onboarding_start(actor=None, content=content, enqueue=False)
    assert "ligne 5" in raised.value.fields or "line 5" in raised.value.fields
    assert not ProvisioningJob.objects.filter(uai="0675000W").exists()


def test_a_file_without_the_required_columns_is_refused(db):
    preview = bulk_onboarding_preview(content=b"code;nom\n0670001M;X\n")
    assert not preview.ok
    assert "uai" in preview.file_errors[0]


def test_a_valid_file_starts_one_job_per_establishment_and_reports_progress(db):
    batch = bulk_onboarding_start(
        actor=None, content=region_csv(4).encode(), source_name="region.csv", enqueue=False
    )
    jobs = list(batch.jobs.order_by("pk"))
    assert [job.uai for job in jobs] == [data.uai for data in region_establishments(4)]
    assert batch_progress(batch=batch).percent == 0

    for job in jobs[:2]:
        provisioning_job_run(job_id=job.pk)
    progress = batch_progress(batch=batch)
    assert progress.by_status == {JobStatus.SUCCEEDED: 2, JobStatus.PENDING: 2}
    assert progress.percent == 50
    assert Establishment.objects.filter(uai__in=[j.uai for j in jobs[:2]], status="active").count() == 2
