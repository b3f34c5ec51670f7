"""A class's week in its space, in a real browser, each page scanned with axe-core: the teacher of
a class opens its space from the navigation and uploads a diagram to the space's library (files on
the test S3 server under the school's prefix); a student of the class finds it in the same space
and opens its preview in the page; the teacher sends a notice to the class's guardians, one
guardian acknowledges it, and the teacher sees who has and who has not.

Nothing here is set up by hand but the school: the space, its members and their rights come from
the class and the teaching assignment, as in production."""

from __future__ import annotations

import io
import random
import uuid

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from shared_apps.identity.auth_models import TOTPDevice
from shared_apps.identity.roles import Role
from shared_apps.identity.services import guardian_link_create
from tenant_apps.documents.models import Document
from tenant_apps.news.models import Notice
from tenant_apps.school.models import Member
from tenant_apps.school.services import school_class_ensure
from tenant_apps.spaces.documents_link import documents_register
from tenant_apps.spaces.models import Space
from tenant_apps.structure.services import subject_create, teaching_assignment_create
from tenants.models import EstablishmentKind
from tenants.provisioning.jobs import establishment_create
from tenants.uai import uai_check_letter
from tests.conftest import S3_DOCUMENTS_BUCKET, host_of, s3_client
from tests.e2e.test_homework_messaging import _sign_in_family
from tests.e2e.test_school_life_pages import _axe_violations, _sign_in
from tests.factories import member
from tests.identity.helpers import with_authenticator


def _diagram() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def eta(committed, s3_default_storage):
    documents_register()  # the spaces app's rights hook (another test may have replaced it)
    tag = uuid.uuid4().hex[:6]
    digits = f"067{random.randint(3000, 4999)}"  # noqa: S311  (the demo is below, the benchmarks above)
    school = establishment_create(
        actor=None,
        uai=digits + uai_check_letter(digits),
        name=f"Collège Êta {tag}",
        kind=EstablishmentKind.COLLEGE,
        academie="Strasbourg",
        departement="67",
        subdomain=f"eta{tag}",
    )
    with schema_context(school.schema_name):
        school_class = school_class_ensure(name="4e C", level="4e")
    teacher = member(school, Role.TEACHER, login=f"prof-{tag}", first_name="Paul", last_name="Schmitt")
    lea = member(
        school, Role.STUDENT, login=f"lea-{tag}", class_name="4e C", first_name="Léa", last_name="Martin"
    )
    tom = member(
        school, Role.STUDENT, login=f"tom-{tag}", class_name="4e C", first_name="Tom", last_name="Weber"
    )
    claire = member(school, Role.GUARDIAN, login=f"claire-{tag}", first_name="Claire", last_name="Martin")
    marc = member(school, Role.GUARDIAN, login=f"marc-{tag}", first_name="Marc", last_name="Weber")
    guardian_link_create(actor=None, guardian=claire, child=lea)
    guardian_link_create(actor=None, guardian=marc, child=tom)
    with schema_context(school.schema_name):
        teaching_assignment_create(
            actor=None,
            teacher=Member.objects.get(user_id=teacher.pk),
            subject=subject_create(actor=None, code="SVT", name="Sciences de la vie et de la Terre"),
            school_class=school_class,
        )
        space = Space.objects.get(school_class=school_class)
    connection.set_schema_to_public()
    return {
        "school": school,
        "class_id": school_class.pk,
        "space": space.pk,
        "teacher": teacher,
        "totp": with_authenticator(teacher),
        "student": lea,
        "guardian": claire,
        "s3": s3_default_storage,
    }


def test_class_space_document_preview_and_notice_tally(browse, app_server, eta):
    base = f"http://{host_of(eta['school'])}:{app_server}"
    space_page = f"{base}/spaces/{eta['space']}/"
    with browse() as page:  # the teacher uploads to the class's space
        _sign_in(page, base, eta["teacher"].login, eta["totp"])
        page.click("nav a[href='/spaces/']")
        page.click("table a:text-is('4e C')")
        page.wait_for_url(space_page)
        page.click("a[href^='/documents/libraries/']")  # the space's "Documents" tab
        page.wait_for_selector("form[data-upload]")
        library_page = page.url
        page.set_input_files(
            "#id_file",
            files=[{"name": "Schéma du cœur.png", "mimeType": "image/png", "buffer": _diagram()}],
        )
        page.click("form[data-upload] button[type=submit]")
        page.wait_for_selector("table a:text-is('Schéma du cœur.png')")
        assert _axe_violations(page) == []

    with schema_context(eta["school"].schema_name):
        document = Document.objects.select_related("current").get(name="Schéma du cœur.png")
        key = document.current.file.name
    connection.set_schema_to_public()
    stored = s3_client(eta["s3"]).list_objects_v2(Bucket=S3_DOCUMENTS_BUCKET, Prefix=key)["Contents"]
    assert [o["Key"] for o in stored] == [key]
    assert key.startswith(eta["school"].schema_name + "/")

    with browse() as page:  # a student of the class previews it from the same space
        _sign_in_family(page, base, eta["student"].login)
        page.goto(space_page)
        page.click("a[href^='/documents/libraries/']")
        page.wait_for_url(library_page)
        assert page.is_visible("form[data-upload]")  # students contribute to their class's space
        page.click("table a:text-is('Schéma du cœur.png')")
        page.wait_for_url(f"**/documents/files/{document.pk}/")
        page.wait_for_selector("img[src*='/preview/'][alt]")
        width = page.eval_on_selector("img[src*='/preview/']", "img => img.complete && img.naturalWidth")
        assert width == 64
        assert _axe_violations(page) == []

    # The teacher signs in again, maybe within the 30 seconds of their first code (never accepted twice).
    TOTPDevice.objects.filter(user=eta["teacher"]).update(last_used_step=None)
    with browse() as page:  # the teacher sends a notice to the class's guardians
        _sign_in(page, base, eta["teacher"].login, eta["totp"])
        page.goto(f"{base}/notices/new/")
        page.fill("#id_title", "Sortie au musée zoologique jeudi")
        page.select_option("#id_school_class", str(eta["class_id"]))
        page.click("main form button[type=submit]")
        page.wait_for_selector("ul.messages li.success")
        assert page.locator("td.ack-no").count() == 2
        notice_page = page.url

    with browse() as page:  # one guardian acknowledges it
        _sign_in_family(page, base, eta["guardian"].login)
        page.goto(f"{base}/notices/")
        page.click("text=Sortie au musée zoologique jeudi")
        page.click("button[value=acknowledge]")
        page.wait_for_selector("ul.messages li.success")
        assert page.locator("button[value=acknowledge]").count() == 0

    with schema_context(eta["school"].schema_name):
        notice = Notice.objects.get()
    connection.set_schema_to_public()
    assert notice_page.endswith(f"/notices/{notice.pk}/")
    TOTPDevice.objects.filter(user=eta["teacher"]).update(last_used_step=None)
    with browse() as page:  # the teacher sees who has and who has not, and reminds the others
        _sign_in(page, base, eta["teacher"].login, eta["totp"])
        page.goto(notice_page)
        assert page.locator("td.ack-yes").count() == 1
        assert page.locator("td.ack-no").count() == 1
        assert "Claire" in page.inner_text("tr:has(td.ack-yes)")
        assert "Marc" in page.inner_text("tr:has(td.ack-no)")
        assert _axe_violations(page) == []
        page.click("button[value=remind]")
        page.wait_for_selector("ul.messages li.success")
        reminded = page.locator("tr:has(td.ack-no) td").last.inner_text()
        assert reminded != "—"  # the date of the reminder sent to Marc Weber
        assert page.locator("tr:has(td.ack-yes) td").last.inner_text() == "—"
