"""The document libraries in a real browser, each page scanned with axe-core: a teacher uploads a
course PDF to their personal documents and an image to a class space's library (the upload's
progress bar, sent by the script), then a student of the space opens the image's preview in the
page. The space's rights come from a hook registered as the spaces app does."""

from __future__ import annotations

import io
import random
import uuid

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from shared_apps.identity.roles import Role
from tenant_apps.documents.models import Document
from tenant_apps.documents.rights import register_space_rights, unregister_space_rights
from tenant_apps.documents.services.libraries import library_for_space
from tenants.models import EstablishmentKind
from tenants.provisioning.jobs import establishment_create
from tenants.uai import uai_check_letter
from tests.conftest import host_of
from tests.e2e.test_homework_messaging import _sign_in_family
from tests.e2e.test_school_life_pages import _axe_violations, _sign_in
from tests.factories import member
from tests.identity.helpers import with_authenticator

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 90, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def epsilon(committed, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "mbn_platform.kernel.storage.EstablishmentFileSystemStorage"},
    }
    settings.MEDIA_ROOT = str(tmp_path)
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
    teacher = member(school, Role.TEACHER, login=f"prof-{tag}", first_name="Marc", last_name="Keller")
    student = member(school, Role.STUDENT, login=f"eleve-{tag}", first_name="Léa", last_name="Martin")
    rights = {teacher.pk: "owner", student.pk: "reader"}
    with schema_context(school.schema_name):
        space = library_for_space(7)
    connection.set_schema_to_public()
    register_space_rights(lambda actor, space_id: rights.get(actor.pk) if space_id == 7 else None)
    try:
        yield {
            "school": school,
            "teacher": teacher,
            "totp": with_authenticator(teacher),
            "student": student,
            "space": space.pk,
        }
    finally:
        unregister_space_rights()


def test_upload_with_progress_and_preview_in_the_browser(browse, app_server, epsilon):
    base = f"http://{host_of(epsilon['school'])}:{app_server}"
    space_page = f"{base}/documents/libraries/{epsilon['space']}/"
    with browse() as page:
        _sign_in(page, base, epsilon["teacher"].login, epsilon["totp"])
        page.click("nav a[href='/documents/mine/']")  # "My documents" (the browser reads French)
        page.wait_for_url("**/documents/mine/")
        assert _axe_violations(page) == []
        page.set_input_files(
            "#id_file",
            files=[{"name": "Chapitre 3 - Fractions.pdf", "mimeType": "application/pdf", "buffer": PDF}],
        )
        page.click("form[data-upload] button[type=submit]")
        page.click("table a:text-is('Chapitre 3 - Fractions.pdf')")
        page.wait_for_selector("iframe[src*='/preview/'][title]")
        assert _axe_violations(page) == []
        page.goto(space_page)
        page.set_input_files(
            "#id_file", files=[{"name": "Repère.png", "mimeType": "image/png", "buffer": _png()}]
        )
        # The script sends the file and shows a labelled progress bar while it goes.
        page.click("form[data-upload] button[type=submit]")
        page.wait_for_selector("table a:text-is('Repère.png')")
        assert page.locator("label[for=upload-progress]").count() == 1
        assert _axe_violations(page) == []
    with schema_context(epsilon["school"].schema_name):
        image = Document.objects.get(name="Repère.png")
    connection.set_schema_to_public()
    with browse() as page:  # a reader of the space opens the preview
        _sign_in_family(page, base, epsilon["student"].login)
        page.goto(space_page)
        assert not page.is_visible("form[data-upload]")
        page.click("table a:text-is('Repère.png')")
        page.wait_for_selector("img[src*='/preview/'][alt]")
        width = page.eval_on_selector("img[src*='/preview/']", "img => img.complete && img.naturalWidth")
        assert width == 40
        assert page.url.endswith(f"/documents/files/{image.pk}/")
        assert _axe_violations(page) == []
