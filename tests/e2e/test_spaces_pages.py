"""Collaborative spaces in a real browser, each page scanned with axe-core: the teacher opens
their class's space from the navigation, starts a forum topic, looks at the members; a student of
the class replies in the topic and posts on the wall. The data lives in an establishment of its
own (committed for the server)."""

from __future__ import annotations

import random
import uuid

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from shared_apps.identity.roles import Role
from tenant_apps.school.models import Member
from tenant_apps.school.services import school_class_ensure
from tenant_apps.spaces.documents_link import documents_register
from tenant_apps.spaces.models import Space
from tenant_apps.structure.services import subject_create, teaching_assignment_create
from tenants.models import EstablishmentKind
from tenants.provisioning.jobs import establishment_create
from tenants.uai import uai_check_letter
from tests.conftest import host_of
from tests.e2e.test_homework_messaging import _sign_in_family
from tests.e2e.test_school_life_pages import _axe_violations, _sign_in
from tests.factories import member
from tests.identity.helpers import with_authenticator


@pytest.fixture
def zeta(committed):
    documents_register()
    tag = uuid.uuid4().hex[:6]
    digits = f"067{random.randint(3000, 4999)}"  # noqa: S311  (the demo is below, the benchmarks above)
    school = establishment_create(
        actor=None,
        uai=digits + uai_check_letter(digits),
        name=f"Collège Zêta {tag}",
        kind=EstablishmentKind.COLLEGE,
        academie="Strasbourg",
        departement="67",
        subdomain=f"zeta{tag}",
    )
    with schema_context(school.schema_name):
        school_class = school_class_ensure(name="5e Z", level="5e")
    teacher = member(school, Role.TEACHER, login=f"prof-{tag}", first_name="Sophie", last_name="Lang")
    student = member(
        school, Role.STUDENT, login=f"eleve-{tag}", class_name="5e Z", first_name="Léa", last_name="Martin"
    )
    with schema_context(school.schema_name):
        teaching_assignment_create(
            actor=None,
            teacher=Member.objects.get(user_id=teacher.pk),
            subject=subject_create(actor=None, code="MATHS", name="Mathématiques"),
            school_class=school_class,
        )
        space = Space.objects.get(school_class=school_class)
    connection.set_schema_to_public()
    return {
        "school": school,
        "teacher": teacher,
        "totp": with_authenticator(teacher),
        "student": student,
        "space": space.pk,
    }


def test_spaces_forum_and_wall_in_the_browser(browse, app_server, zeta):
    base = f"http://{host_of(zeta['school'])}:{app_server}"
    with browse() as page:  # the teacher starts a topic
        _sign_in(page, base, zeta["teacher"].login, zeta["totp"])
        page.click("nav a[href='/spaces/']")
        page.wait_for_url(f"{base}/spaces/")
        page.wait_for_selector("h1:has-text('Mes espaces')")
        assert _axe_violations(page) == []
        page.click("table a:text-is('5e Z')")
        page.wait_for_selector("h1:has-text('5e Z')")
        assert _axe_violations(page) == []
        page.click(f"a[href='/spaces/{zeta['space']}/forum/']")
        page.fill("#id_title", "Sortie au planétarium")
        page.fill("#id_body", "<p>Qui a rendu son <strong>autorisation</strong> ?</p>")
        page.click("form:has(input[value=topic]) button[type=submit]")
        page.wait_for_selector("h1:has-text('Sortie au planétarium')")
        assert page.is_visible("strong:text-is('autorisation')")
        assert _axe_violations(page) == []
        topic_url = page.url
        page.goto(f"{base}/spaces/{zeta['space']}/members/")
        assert page.is_visible("text=Léa Martin")
        assert _axe_violations(page) == []
    with browse() as page:  # a student replies and posts on the wall
        _sign_in_family(page, base, zeta["student"].login)
        page.goto(topic_url)
        assert not page.is_visible("form:has(input[value=lock])")
        page.fill("#id_body", "<p>Moi, c'est fait.</p>")
        page.click("form:has(input[value=reply]) button[type=submit]")
        page.wait_for_selector("text=Moi, c'est fait.")
        assert _axe_violations(page) == []
        page.goto(f"{base}/spaces/{zeta['space']}/")
        page.fill("#id_body", "Le bus part à 8 h devant le collège.")
        page.click("form:has(input[value=wall_post]) button[type=submit]")
        page.wait_for_selector("article >> text=Le bus part à 8 h devant le collège.")
        assert _axe_violations(page) == []
