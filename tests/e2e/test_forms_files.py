"""A form with a file question in a real browser, each page scanned with axe-core: a guardian
sends a file of a type the question refuses (the error is shown on the field, accessibly), then
the insurance certificate as a PDF; the administrative staff the form names see it on the answer
and download it. The data lives in an establishment of its own (committed for the server
thread)."""

from __future__ import annotations

import datetime
import random
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from shared_apps.identity.roles import Role
from shared_apps.identity.services import guardian_link_create
from tenant_apps.forms import services
from tenant_apps.forms.models import Answer, AnswerFile
from tenant_apps.school.services import school_class_ensure
from tenants.models import EstablishmentKind
from tenants.provisioning.jobs import establishment_create
from tenants.uai import uai_check_letter
from tests.conftest import host_of
from tests.e2e.test_school_life_pages import _axe_violations, _sign_in
from tests.factories import PASSWORD, member
from tests.identity.helpers import with_authenticator

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def epsilon(committed, tmp_path):
    """A collège with a class, a child, their guardian, an administrative officer (reads the
    answers) and the insurance form (a PDF required, a text) published."""
    tag = uuid.uuid4().hex[:6]
    digits = f"067{random.randint(3000, 4999)}"  # noqa: S311  (the demo is below, the benchmarks above)
    school = establishment_create(
        actor=None,
        uai=digits + uai_check_letter(digits),
        name=f"Collège Epsilon {tag}",
        kind=EstablishmentKind.COLLEGE,
        academie="Strasbourg",
        departement="67",
        subdomain=f"epsilon{tag}",
    )
    with tenant_context(school):
        school_class = school_class_ensure(name="5e A", level="5e")
    head = member(school, Role.HEAD)
    admin = member(school, Role.ADMIN_STAFF, login=f"admin-{tag}", first_name="Agnès", last_name="Roth")
    child = member(school, Role.STUDENT, class_name="5e A", first_name="Hugo", last_name="Meyer")
    guardian = member(school, Role.GUARDIAN, login=f"parent-{tag}", first_name="Anne", last_name="Meyer")
    guardian_link_create(actor=None, guardian=guardian, child=child)
    with tenant_context(school):
        form = services.form_create(
            actor=head,
            title="Attestation d'assurance scolaire",
            kind="other",
            audience="guardians",
            classes=[school_class],
            deadline=timezone.now() + datetime.timedelta(days=10),
            reader_roles=[Role.ADMIN_STAFF],
            questions=[
                {"kind": "file", "label": "Attestation d'assurance", "file_types": ["pdf"]},
                {"kind": "text", "label": "Compagnie d'assurance"},
            ],
        )
        form = services.form_publish(actor=head, form=form)
    totp = with_authenticator(admin)
    connection.set_schema_to_public()
    wrong = tmp_path / "photo.pdf"
    wrong.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    right = tmp_path / "attestation.pdf"
    right.write_bytes(PDF)
    return {
        "school": school,
        "admin": admin,
        "totp": totp,
        "guardian": guardian,
        "child": child,
        "form": form,
        "wrong": wrong,
        "right": right,
    }


def test_a_guardian_sends_a_file_and_the_staff_download_it(browse, app_server, epsilon):
    base = f"http://{host_of(epsilon['school'])}:{app_server}"
    form, child = epsilon["form"], epsilon["child"]
    answer_page = f"{base}/forms/{form.pk}/answers/{child.pk}/"
    with browse() as page:
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", epsilon["guardian"].login)
        page.fill("#id_password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url(f"{base}/")
        page.goto(answer_page)
        assert _axe_violations(page) == [], page.url
        file_input = page.get_by_label("Attestation d'assurance *")
        assert file_input.get_attribute("type") == "file"
        # A picture named .pdf: refused on its field, announced.
        file_input.set_input_files(str(epsilon["wrong"]))
        page.fill("main form textarea", "MAE")
        page.click("main form button[value=submit]")
        assert page.is_visible("[role=alert]")
        assert page.get_by_label("Attestation d'assurance *").get_attribute("aria-invalid") == "true"
        assert _axe_violations(page) == [], page.url
        page.get_by_label("Attestation d'assurance *").set_input_files(str(epsilon["right"]))
        page.fill("main form textarea", "MAE")
        page.click("main form button[value=submit]")
        page.wait_for_selector("main a[download]")
        assert page.locator("main a[download]").inner_text() == "attestation.pdf"
        assert _axe_violations(page) == [], page.url

        page.context.clear_cookies()  # the guardian leaves; the administrative officer signs in
        _sign_in(page, base, epsilon["admin"].login, epsilon["totp"])
        response = page.goto(answer_page)
        assert response is not None and response.status == 200
        assert _axe_violations(page) == [], page.url
        with page.expect_download() as got:
            page.click("main a[download]")
        assert got.value.suggested_filename == "attestation.pdf"
        assert Path(got.value.path()).read_bytes() == PDF
    with tenant_context(epsilon["school"]):
        assert Answer.objects.get(form=form).status == "submitted"
        assert AnswerFile.objects.filter(answer__form=form).count() == 1
