"""The operators' console and the provisioning API: who may use them, and what they do."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shared_apps.identity.models import RegionRoleAssignment
from shared_apps.identity.roles import RegionRole, Role
from tenants.models import ProvisioningJob
from tenants.provisioning.region import region_csv
from tests.conftest import client_for
from tests.factories import UserFactory, member


@pytest.fixture
def operator(db):
    user = UserFactory()
    RegionRoleAssignment.objects.create(user=user, role=RegionRole.REGION_OPERATOR)
    return user


@pytest.fixture
def support_agent(db):
    user = UserFactory()
    RegionRoleAssignment.objects.create(user=user, role=RegionRole.SUPPORT)
    return user


ONBOARD = {
    "uai": "0676001J",
    "name": "Collège API",
    "kind": "college",
    "academie": "Strasbourg",
    "departement": "67",
    "subdomain": "college-api",
}


def test_an_operator_onboards_through_the_api_and_follows_the_job(
    operator, django_capture_on_commit_callbacks
):
    data = {**ONBOARD}
    client = client_for(operator, api=True)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post("/api/v1/establishments/", data, format="json")
    assert response.status_code == 202, response.content
    assert len(callbacks) == 1  # the job is queued for a worker once committed
    job_id = response.json()["id"]
    assert client.get(f"/api/v1/provisioning/jobs/{job_id}/").json()["status"] == "pending"

    again = client.post("/api/v1/establishments/", data, format="json")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "uai_taken"


def test_bad_onboarding_input_is_400_with_a_message_per_field(operator):
    response = client_for(operator, api=True).post(
        "/api/v1/establishments/",
        {**ONBOARD, "uai": "0676001K", "kind": "zoo", "subdomain": "No Way"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"uai", "kind", "subdomain"}


def test_who_may_use_the_provisioning_api(operator, support_agent, school_a):
    teacher = member(school_a, Role.TEACHER)
    url = f"/api/v1/establishments/{school_a.uai}/lifecycle/"
    assert client_for(None, api=True).get("/api/v1/establishments/").status_code == 401
    assert client_for(teacher, api=True).get("/api/v1/establishments/").status_code == 403
    assert client_for(support_agent, api=True).get("/api/v1/establishments/").status_code == 200
    assert (
        client_for(support_agent, api=True).post(url, {"action": "suspend"}, format="json").status_code == 403
    )
    # The console lives on the base domain only: on a school's host it does not exist.
    assert client_for(teacher, school_a).get("/console/").status_code == 404
    assert client_for(teacher, school_a, api=True).get("/api/v1/establishments/").status_code == 404
    assert client_for(operator, api=True).post(url, {"action": "suspend"}, format="json").status_code == 200


def test_the_console_lists_filters_and_pages_with_a_bounded_number_of_queries(operator, school_a, school_b):
    client = client_for(operator)
    page = client.get("/console/?kind=college").content.decode()
    assert "Collège Alpha" in page and "Lycée Bêta" not in page
    client.get("/console/")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/console/?q=alpha").status_code == 200
    assert len(ctx.captured_queries) <= 10


def test_bulk_onboarding_in_the_console_previews_then_starts(operator, django_capture_on_commit_callbacks):
    client = client_for(operator)
    upload = SimpleUploadedFile("region.csv", region_csv(3).encode(), content_type="text/csv")
    preview = client.post("/console/bulk/", {"file": upload})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "3" in html and 'name="content"' in html
    content = html.split('name="content" value="', 1)[1].split('"', 1)[0]
    with django_capture_on_commit_callbacks() as callbacks:
        started = client.post("/console/bulk/", {"content": content, "source_name": "region.csv"})
    assert started.status_code == 302
    assert len(callbacks) == 3
    batch_page = client.get(started["Location"])
    assert "<progress" in batch_page.content.decode()
    assert ProvisioningJob.objects.filter(batch__source_name="region.csv").count() == 3


def test_an_operator_changes_a_subdomain_from_the_console(operator, school_a):
    client = client_for(operator)
    response = client.post(
        f"/console/establishments/{school_a.uai}/", {"action": "subdomain", "subdomain": "alpha2"}
    )
    assert response.status_code == 302
    assert "alpha2.localhost" in client.get(response["Location"]).content.decode()


def test_establishments_are_filtered_by_funder(operator, school_a, school_b):
    client = client_for(operator, api=True)
    # Funders are billing records now, named by their code (or their name).
    region = client.get("/api/v1/establishments/", {"funder": "region"}).json()["results"]
    council = client.get("/api/v1/establishments/", {"funder": "Conseil départemental du Bas-Rhin"}).json()[
        "results"
    ]
    assert school_b.uai in {e["uai"] for e in region}
    assert school_a.uai not in {e["uai"] for e in region}
    assert school_a.uai in {e["uai"] for e in council}
    page = client_for(operator).get("/console/", {"funder": "region"}).content.decode()
    assert "Lycée Bêta" in page
    assert "Collège Alpha" not in page
