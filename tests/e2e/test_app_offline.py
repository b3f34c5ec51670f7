"""The MBN app in a real Chromium: the manifest is valid and linked, the service worker installs
and takes control, the student's week and homework pages seen online stay readable offline, any
other page shows the offline page (scanned with axe-core), and signing out forgets the kept
pages."""

from __future__ import annotations

import uuid

from django.db import connection

from shared_apps.identity.roles import Role
from tenants.models import Establishment
from tests.conftest import SESSION_SCHOOLS, host_of
from tests.e2e.test_notification_pages import _violations
from tests.factories import PASSWORD, member

KEPT = (
    "() => caches.open('mbn-pages').then((c) => c.keys())"
    ".then((keys) => keys.map((r) => new URL(r.url).pathname))"
)


def test_the_week_seen_online_stays_readable_offline_until_sign_out(browse, app_server, committed):
    school = Establishment.objects.get(uai=SESSION_SCHOOLS["school_a"][0])
    student = member(school, Role.STUDENT, login=f"app-{uuid.uuid4().hex[:8]}", first_name="Inès")
    base = f"http://{host_of(school)}:{app_server}"
    connection.set_schema_to_public()

    with browse() as page:
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", student.login)
        page.fill("#id_password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url(f"{base}/")

        # The manifest: linked, and valid for Chromium (no parsing error), with installable icons.
        assert page.get_attribute("link[rel=manifest]", "href") == "/manifest.webmanifest"
        cdp = page.context.new_cdp_session(page)
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == [], manifest["errors"]
        assert "Mon bureau numérique" in manifest["data"]

        # The service worker installs and controls the pages from now on.
        scope = page.evaluate("() => navigator.serviceWorker.ready.then((r) => r.scope)")
        assert scope == f"{base}/"
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")

        page.goto(f"{base}/timetable/")
        week = page.inner_text("main h1")
        page.goto(f"{base}/homework/")
        homework = page.inner_text("main h1")
        assert sorted(page.evaluate(KEPT)) == ["/homework/", "/timetable/"]

        page.context.set_offline(True)
        page.goto(f"{base}/timetable/")
        assert page.inner_text("main h1") == week
        assert student.display_name in page.inner_text("header")
        page.goto(f"{base}/homework/")
        assert page.inner_text("main h1") == homework
        page.goto(f"{base}/messages/")
        assert page.inner_text("main h1") in ("Pas de connexion", "No connection")
        assert student.display_name not in page.content()  # the offline page shows nobody
        offline_violations = _violations(page)

        page.context.set_offline(False)
        page.goto(f"{base}/")
        page.click("form[action='/accounts/logout/'] button[type=submit]")
        page.wait_for_load_state("load")
        assert page.evaluate(KEPT) == []
        page.context.set_offline(True)
        page.goto(f"{base}/timetable/")
        assert page.inner_text("main h1") in ("Pas de connexion", "No connection")

    assert offline_violations == []
