"""The demo's notifications: Claire Martin finds both schools' notifications in her centre, and
their e-mails went out (the urgent absence at once, the rest in one digest)."""

from __future__ import annotations

from django_tenants.utils import schema_context

from shared_apps.identity.models import User
from tenant_apps.notifications.models import Delivery, DeliveryStatus
from tests.conftest import DEMO_BASE_DOMAIN, client_for


def test_the_guardian_finds_both_schools_notifications_in_her_centre(demo, db, settings):
    settings.MBN_BASE_DOMAIN = DEMO_BASE_DOMAIN
    claire = User.objects.get(login="claire.martin")
    body = client_for(claire, api=True).get("/api/v1/notifications/").json()
    schools = {entry["school"] for entry in body["results"]}
    assert {"Collège Louis Pasteur", "Lycée Kléber"} <= schools
    assert any(entry["type"] == "absence" for entry in body["results"])
    for subdomain in ("pasteur", "kleber"):
        with schema_context(demo.establishments[subdomain].schema_name):
            emails = Delivery.objects.filter(recipient__user_id=claire.pk, channel="email")
            assert emails.exists()
            assert set(emails.values_list("status", flat=True)) == {DeliveryStatus.SENT}
            if subdomain == "kleber":
                assert emails.filter(digest=True).exists()
