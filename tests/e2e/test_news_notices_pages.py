"""News and notices in a real browser, each page scanned with axe-core: the head writes and
publishes a news item for the school's members, sends a notice to the guardians of a class; the
guardian reads the news, acknowledges the notice from their notices page; the head sees the tally.
The data lives in an establishment of its own (committed for the server)."""

from __future__ import annotations

import random
import uuid

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from shared_apps.identity.auth_models import TOTPDevice
from shared_apps.identity.roles import Role
from shared_apps.identity.services import guardian_link_create
from tenant_apps.news.models import NewsItem, NewsState, NoticeRecipient
from tenant_apps.school.services import school_class_ensure
from tenants.models import EstablishmentKind
from tenants.provisioning.jobs import establishment_create
from tenants.uai import uai_check_letter
from tests.conftest import host_of
from tests.e2e.test_homework_messaging import _sign_in_family
from tests.e2e.test_school_life_pages import _axe_violations, _sign_in
from tests.factories import member
from tests.identity.helpers import with_authenticator


@pytest.fixture
def epsilon(committed):
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
    with schema_context(school.schema_name):
        school_class = school_class_ensure(name="6e E", level="6e")
    head = member(school, Role.HEAD, login=f"head-{tag}", first_name="Hélène", last_name="Vogel")
    student = member(
        school, Role.STUDENT, login=f"eleve-{tag}", class_name="6e E", first_name="Léa", last_name="Martin"
    )
    guardian = member(school, Role.GUARDIAN, login=f"parent-{tag}", first_name="Claire", last_name="Martin")
    guardian_link_create(actor=None, guardian=guardian, child=student)
    connection.set_schema_to_public()
    return {
        "school": school,
        "class_id": school_class.pk,
        "head": head,
        "head_totp": with_authenticator(head),
        "guardian": guardian,
    }


def test_news_and_a_notice_acknowledged_in_the_browser(browse, app_server, epsilon):
    base = f"http://{host_of(epsilon['school'])}:{app_server}"
    with browse() as page:  # the head publishes a news item and sends a notice
        _sign_in(page, base, epsilon["head"].login, epsilon["head_totp"])
        page.goto(f"{base}/news/new/")
        assert _axe_violations(page) == []
        page.fill("#id_title", "Cross du collège")
        page.fill("#id_body", "<p>Rendez-vous au stade à 14 h.</p>")
        page.select_option("#id_visibility", "members")
        page.click("button[value=publish]")
        page.wait_for_selector("ul.messages li.success")
        assert page.is_visible(".badge.state-published")
        assert _axe_violations(page) == []
        for path in ("/news/", "/news/manage/"):
            page.goto(f"{base}{path}")
            assert _axe_violations(page) == [], path
        page.goto(f"{base}/notices/new/")
        assert _axe_violations(page) == []
        page.fill("#id_title", "Photo de classe mardi")
        page.select_option("#id_school_class", str(epsilon["class_id"]))
        page.click("main form button[type=submit]")
        page.wait_for_selector("ul.messages li.success")
        assert page.locator("td.ack-no").count() == 1
        assert _axe_violations(page) == []
    with schema_context(epsilon["school"].schema_name):
        item = NewsItem.objects.get()
        assert item.state == NewsState.PUBLISHED
    connection.set_schema_to_public()
    with browse() as page:  # the guardian reads the news and acknowledges the notice
        _sign_in_family(page, base, epsilon["guardian"].login)
        assert page.is_visible("text=Cross du collège")  # on the home page
        page.goto(f"{base}/news/{item.pk}/")
        assert page.is_visible("text=Rendez-vous au stade")
        assert _axe_violations(page) == []
        page.goto(f"{base}/notices/")
        assert page.is_visible("strong.badge.warning")  # to acknowledge
        assert _axe_violations(page) == []
        page.click("text=Photo de classe mardi")
        assert _axe_violations(page) == []
        page.click("button[value=acknowledge]")
        page.wait_for_selector("ul.messages li.success")
        assert page.locator("button[value=acknowledge]").count() == 0
        assert _axe_violations(page) == []
    with schema_context(epsilon["school"].schema_name):
        notice_id = NoticeRecipient.objects.get(acknowledged_at__isnull=False).notice_id
    connection.set_schema_to_public()
    # The head signs in again, maybe within the 30 seconds of their first code (never accepted twice).
    TOTPDevice.objects.filter(user=epsilon["head"]).update(last_used_step=None)
    with browse() as page:  # the head sees the tally
        _sign_in(page, base, epsilon["head"].login, epsilon["head_totp"])
        page.goto(f"{base}/notices/{notice_id}/")
        assert (page.locator("td.ack-yes").count(), page.locator("td.ack-no").count()) == (1, 0)
        assert _axe_violations(page) == []
