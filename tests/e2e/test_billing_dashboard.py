"""A funder's viewer opens the billing dashboard in a real Chromium: the server-rendered SVG
charts draw, a screenshot is taken, and axe-core finds no accessibility violation."""

from __future__ import annotations

import datetime
import uuid

from axe_playwright_python.sync_playwright import Axe
from django.db import connection, transaction
from django.utils import timezone

from shared_apps.billing.funders import funder_viewer_attach
from shared_apps.billing.models import UsageDay
from tests.billing.helpers import establishment, funder
from tests.e2e.test_support_impersonation import _sign_in
from tests.factories import UserFactory
from tests.identity.helpers import with_authenticator


def _committed_region(tag: str):
    payer = funder(name=f"Conseil départemental E2E {tag}")
    schools = [establishment(payer, name=f"Collège {name} {tag}") for name in ("Arp", "Brant", "Curie")]
    other = establishment(funder(), name=f"Lycée Ailleurs {tag}")
    today = timezone.localdate()
    rows = []
    for index, school in enumerate([*schools, other]):
        for days_ago in range(1, 50):
            day = today - datetime.timedelta(days=days_ago)
            weekend = day.weekday() >= 5
            active = 0 if weekend else 30 + 10 * index + days_ago % 7
            rows.append(
                UsageDay(
                    establishment_id=school.pk,
                    day=day,
                    accounts=200 + 50 * index,
                    accounts_by_role={"student": 150, "teacher": 30, "guardian": 20 + 50 * index},
                    active=active,
                    active_by_role={"student": active // 2, "teacher": active // 4, "guardian": active // 4},
                    active_week_by_role={"student": 90 + index, "teacher": 25, "guardian": 15 + index},
                    active_month=120 + index * 20,
                    sign_ins=active + 5,
                    storage_bytes=(3 + index) * 1_000_000_000 + (50 - days_ago) * 10_000_000,
                )
            )
    UsageDay.objects.bulk_create(rows)
    return payer, schools, other


def _purge(establishment_ids: list[int], funder_ids: list[int]) -> None:
    """Usage records are immutable in the database (a trigger): this cleanup alone skips it."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("DELETE FROM billing_usageday WHERE establishment_id = ANY(%s)", [establishment_ids])
        cursor.execute(
            "DELETE FROM billing_funderassignment WHERE establishment_id = ANY(%s)", [establishment_ids]
        )
        cursor.execute("DELETE FROM tenants_establishment WHERE id = ANY(%s)", [establishment_ids])
        cursor.execute("DELETE FROM billing_funderviewer WHERE funder_id = ANY(%s)", [funder_ids])
        cursor.execute("DELETE FROM billing_funder WHERE id = ANY(%s)", [funder_ids])


def test_the_funders_dashboard_renders_its_charts_accessibly(browse, app_server, committed, tmp_path):
    tag = uuid.uuid4().hex[:6]
    payer, schools, other = _committed_region(tag)
    viewer = UserFactory(login=f"funder-{tag}", first_name="Francine", last_name="Haas")
    funder_viewer_attach(actor=None, user=viewer, funder=payer)
    totp = with_authenticator(viewer)
    connection.set_schema_to_public()
    portal = f"http://localhost:{app_server}"
    try:
        with browse() as page:
            page.set_viewport_size({"width": 1280, "height": 900})
            page.goto(f"{portal}/accounts/login/?next=/billing/")
            _sign_in(page, portal, viewer.login, totp.now())
            page.wait_for_url(f"{portal}/billing/")

            # Three charts drawn by the browser (SVG with shapes), each with its data table.
            charts = page.locator("svg.chart")
            assert charts.count() == 3
            assert page.locator("svg.chart polyline").count() >= 3  # weekly active users per role
            assert page.locator("svg.chart rect").count() > 20  # sign-ins per day, as bars
            box = charts.first.bounding_box()
            assert box is not None and box["width"] > 300 and box["height"] > 100
            assert page.locator("details table").count() == 3
            text = page.inner_text("main")
            assert all(school.name in text for school in schools)
            assert other.name not in text  # another funder's establishment

            shot = tmp_path / "billing-dashboard.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 20_000

            results = Axe().run(page)
            assert results.violations_count == 0, results.generate_report()

            page.click(f"text={schools[0].name}")
            page.wait_for_url(f"{portal}/billing/establishments/{schools[0].uai}/")
            assert page.locator("svg.chart").count() == 3
            results = Axe().run(page)
            assert results.violations_count == 0, results.generate_report()
    finally:
        _purge([s.pk for s in [*schools, other]], [payer.pk, other.funded_by_id])
