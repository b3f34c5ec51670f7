"""The portal and a school's pages in a real browser: keyboard-only sign-in, language switch."""

from __future__ import annotations

import uuid

from django.db import connection

from shared_apps.identity.roles import Role
from tenants.models import Establishment
from tests.conftest import SESSION_SCHOOLS, host_of
from tests.factories import PASSWORD, member


def test_a_student_signs_in_with_the_keyboard_only_and_sees_their_school(browse, app_server, committed):
    school = Establishment.objects.get(uai=SESSION_SCHOOLS["school_a"][0])
    student = member(school, Role.STUDENT, login=f"kb-{uuid.uuid4().hex[:8]}", first_name="Anouk")
    connection.set_schema_to_public()
    base = f"http://{host_of(school)}:{app_server}"

    with browse() as page:
        page.goto(f"{base}/")
        assert "Collège Alpha" in page.title()
        page.goto(f"{base}/accounts/login/")
        # Keyboard only: the login field has the focus, Tab moves to the password, Enter submits.
        page.keyboard.type(student.login)
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{base}/")
        assert student.display_name in page.inner_text("header")

        # The skip link is the first stop of the keyboard and leads to the main content.
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"


def test_the_language_switch_turns_the_portal_into_english(browse, app_server):
    with browse() as page:
        page.goto(f"http://localhost:{app_server}/")
        assert page.get_attribute("html", "lang") == "fr"
        page.select_option("#language-select", "en")
        page.click(".lang button")
        page.wait_for_load_state()
        assert page.get_attribute("html", "lang") == "en"
        assert page.is_visible("text=Sign in")
