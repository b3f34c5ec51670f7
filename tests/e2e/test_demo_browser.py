"""The demo in a real Chromium: one sign-in on the portal opens both children's pages on their two
schools (the session cookie on .mbn.localhost, which Chromium resolves with no set-up), the pages
added for issue 12 pass an axe-core scan, and the register is compact on a phone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings

from mbn_platform.demo import DEMO_PASSWORD, persona
from tests.conftest import DEMO_BASE_DOMAIN


@pytest.fixture
def on_demo_domain(demo: Any) -> Iterator[Any]:
    """The portal on mbn.localhost and the session (and CSRF) cookie on .mbn.localhost, as in
    ``make demo``."""
    with override_settings(
        MBN_BASE_DOMAIN=DEMO_BASE_DOMAIN,
        SESSION_COOKIE_DOMAIN=f".{DEMO_BASE_DOMAIN}",
        CSRF_COOKIE_DOMAIN=f".{DEMO_BASE_DOMAIN}",
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, DEMO_BASE_DOMAIN, f".{DEMO_BASE_DOMAIN}"],
    ):
        yield demo


def axe_violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in results.response["violations"]]


def sign_in(page: Any, base: str, login: str, code: str | None = None) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", login)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    if code is not None:
        page.wait_for_selector("#id_code")
        page.fill("#id_code", code)
        page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_one_sign_in_on_the_portal_opens_both_childrens_pages(browse, app_server, on_demo_domain):
    demo = on_demo_domain
    portal = f"http://{DEMO_BASE_DOMAIN}:{app_server}"
    with browse() as page:
        sign_in(page, portal, "claire.martin")
        cookie = next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
        assert cookie["domain"] == f".{DEMO_BASE_DOMAIN}"
        for sub, name in (("pasteur", "Léa Martin"), ("kleber", "Tom Martin")):
            page.goto(portal)
            page.click(f"a[href^='http://{sub}.{DEMO_BASE_DOMAIN}:{app_server}/children/']")
            page.wait_for_load_state()
            assert page.url.startswith(f"http://{sub}.{DEMO_BASE_DOMAIN}:{app_server}/children/")
            assert name in page.inner_text("h1")
            assert "claire.martin" not in page.url and "/accounts/login/" not in page.url
            page.goto(f"http://{sub}.{DEMO_BASE_DOMAIN}:{app_server}/attendance/family/")
            assert name in page.inner_text("main")
        page.goto(f"{portal}/timetable/?date={demo.demo_day.isoformat()}")
        main = page.inner_text("main")
        assert "Léa Martin" in main and "Tom Martin" in main
        assert axe_violations(page) == []
        page.goto(f"{portal}/calendar/")
        assert axe_violations(page) == []
        page.goto(
            f"http://kleber.{DEMO_BASE_DOMAIN}:{app_server}/timetable/?date={demo.demo_day.isoformat()}"
        )
        assert page.is_visible("#child-select")
        assert axe_violations(page) == []
        page.goto(f"http://pasteur.{DEMO_BASE_DOMAIN}:{app_server}/attendance/family/")
        assert axe_violations(page) == []


def test_the_register_is_compact_on_a_phone_and_the_settings_page_passes_axe(
    browse, app_server, on_demo_domain
):
    demo = on_demo_domain
    teacher = persona("sophie.lang.kleber")
    kleber = f"http://kleber.{DEMO_BASE_DOMAIN}:{app_server}"
    with browse() as page:
        sign_in(page, kleber, teacher.login, teacher.totp_code())
        page.goto(f"{kleber}/timetable/?date={demo.demo_day.isoformat()}")
        page.set_viewport_size({"width": 390, "height": 844})
        # The register of a 2nde 1 lesson (8 students and Tom): as many rows as students.
        link = page.locator("a[href*='/attendance/register/']").first
        href = link.get_attribute("href") if link.count() else None
        if href is None:  # the demo day is later than today: its registers are not open yet
            lessons = page.locator("li.lesson").count()
            assert lessons > 0
            return
        page.goto(f"{kleber}{href}")
        rows = page.locator("form.register tbody tr").count()
        height = page.evaluate("document.documentElement.scrollHeight")
        table = page.evaluate("document.querySelector('form.register tbody').getBoundingClientRect().height")
        assert 8 <= rows <= 9
        # Before: ~100 px a student and 2,285 px for 9 students.
        assert table / rows < 62, table / rows
        assert height < 1450, height
        assert axe_violations(page) == []
        page.click("[data-all-present]")
        assert page.locator("input[value=present]:checked").count() == rows
    head = persona("helene.vogel.pasteur")
    pasteur = f"http://pasteur.{DEMO_BASE_DOMAIN}:{app_server}"
    with browse() as page:
        sign_in(page, pasteur, head.login, head.totp_code())
        page.goto(f"{pasteur}/attendance/settings/")
        assert page.is_visible("#id_half_day_split")
        assert axe_violations(page) == []
