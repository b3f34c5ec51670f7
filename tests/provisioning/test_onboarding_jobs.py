"""Onboarding jobs: steps, a job killed mid-way resumed or rolled back, duplicates refused."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django_tenants.utils import schema_context, schema_exists

from mbn_platform.kernel.errors import Conflict, ValidationFailed
from shared_apps.identity.models import Membership, User
from tenant_apps.school.models import SchoolSettings
from tenants.models import Domain, Establishment, EstablishmentStatus, JobStatus
from tenants.provisioning import onboarding
from tenants.provisioning.jobs import onboarding_job_create, provisioning_job_rollback, provisioning_job_run
from tenants.uai import uai_check_letter
from tests.conftest import client_for


def _data(n: int = 7001, **overrides: str) -> dict[str, object]:
    digits = f"067{n:04d}"
    data = {
        "uai": digits + uai_check_letter(digits),
        "name": f"Collège Test {n}",
        "kind": "college",
        "academie": "Strasbourg",
        "departement": "67",
        "subdomain": f"test-{n}",
        "admin_email": f"direction.{n}@example.org",
    }
    data.update(overrides)
    return data


def test_an_onboarding_job_creates_a_served_establishment_and_invites_its_admin(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the invitation leaves once committed
        job = provisioning_job_run(job_id=onboarding_job_create(actor=None, data=_data()).pk)

    assert job.status == JobStatus.SUCCEEDED
    assert list(job.steps) == list(onboarding.ONBOARDING_STEPS)
    school = job.establishment
    assert school is not None and school.status == EstablishmentStatus.ACTIVE
    assert schema_exists(school.schema_name)
    with schema_context(school.schema_name):
        assert SchoolSettings.objects.get().display_name == "Collège Test 7001"
        assert default_storage.exists(f"{school.schema_name}/{onboarding.STORAGE_MARKER}")
    admin = User.objects.get(email="direction.7001@example.org")
    assert Membership.objects.filter(user=admin, establishment=school, role="establishment_admin").exists()
    assert mail.outbox[-1].to == ["direction.7001@example.org"]
    assert admin.login in mail.outbox[-1].body
    assert "Collège Test 7001" in client_for(None, school).get("/").content.decode()


def _fail(job):  # a worker dying between two steps
    raise OSError("worker killed")


def test_a_job_killed_mid_way_serves_nothing_then_resumes_to_a_correct_establishment(db, monkeypatch):
    monkeypatch.setitem(onboarding.ONBOARDING_STEPS, "storage", (_fail, onboarding.undo_storage))
    job = provisioning_job_run(job_id=onboarding_job_create(actor=None, data=_data(7002)).pk)

    assert job.status == JobStatus.FAILED
    assert job.steps["storage"]["status"] == "failed" and "worker killed" in job.error
    assert job.steps["domain"]["status"] == "done"
    school = Establishment.objects.get(uai=job.uai)
    assert school.status == EstablishmentStatus.PROVISIONING
    page = client_for(None, school).get("/")
    assert page.status_code == 503  # the maintenance page, no data

    monkeypatch.undo()
    resumed = provisioning_job_run(job_id=job.pk)
    assert resumed.status == JobStatus.SUCCEEDED
    assert resumed.attempts == 2
    school.refresh_from_db()
    assert school.status == EstablishmentStatus.ACTIVE
    assert Domain.objects.filter(tenant=school).count() == 1
    assert client_for(None, school).get("/").status_code == 200


def test_a_job_killed_mid_way_rolls_back_to_nothing(db, monkeypatch):
    monkeypatch.setitem(onboarding.ONBOARDING_STEPS, "activate", (_fail, onboarding.undo_activate))
    job = provisioning_job_run(job_id=onboarding_job_create(actor=None, data=_data(7003)).pk)
    assert job.status == JobStatus.FAILED
    schema = Establishment.objects.get(uai=job.uai).schema_name

    rolled = provisioning_job_rollback(actor=None, job_id=job.pk)

    assert rolled.status == JobStatus.ROLLED_BACK
    assert rolled.steps == {}
    assert not Establishment.objects.filter(uai=job.uai).exists()
    assert not schema_exists(schema)
    assert not Domain.objects.filter(domain__startswith="test-7003.").exists()
    assert not User.objects.filter(email="direction.7003@example.org").exists()
    assert client_for().get("/", HTTP_HOST="test-7003.localhost").status_code == 404
    # and the UAI can be onboarded again
    monkeypatch.undo()
    again = provisioning_job_run(job_id=onboarding_job_create(actor=None, data=_data(7003)).pk)
    assert again.status == JobStatus.SUCCEEDED, again.error


def test_onboarding_the_same_uai_twice_is_refused_with_a_clear_error(db, school_a):
    with pytest.raises(Conflict) as existing:
        onboarding_job_create(actor=None, data=_data(7004, uai=school_a.uai))
    assert "uai" in existing.value.fields

    onboarding_job_create(actor=None, data=_data(7005))  # pending, not run yet
    with pytest.raises(Conflict) as pending:
        onboarding_job_create(actor=None, data=_data(7005, subdomain="other-7005"))
    assert (
        "already exists or is being onboarded" in pending.value.fields["uai"][0]
        or pending.value.fields["uai"]
    )


def test_bad_onboarding_data_is_refused_field_by_field_before_anything_is_written(db):
    with pytest.raises(ValidationFailed) as raised:
        onboarding_job_create(
            actor=None,
            data=_data(
                7006,
                uai="0670001Z",
                kind="university",
                subdomain="Bad Name",
                admin_email="not-an-email",
                departement="6",
            ),
        )
    assert set(raised.value.fields) == {"uai", "kind", "subdomain", "admin_email", "departement"}
    assert not Establishment.objects.filter(name="Collège Test 7006").exists()
