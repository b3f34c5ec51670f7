"""Urgent notices by text message through the HTTP gateway adapter (a fake gateway server)."""

from __future__ import annotations

import datetime
import json
import threading
import zoneinfo
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django_tenants.utils import schema_context

from shared_apps.identity.roles import Role
from tenant_apps.notifications.models import Delivery, DeliveryStatus
from tests.notifications.helpers import deliver, person, tell

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NOON = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=PARIS)


class FakeGateway(ThreadingHTTPServer):
    received: list[dict[str, Any]]
    answer: int = 202


class Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        server: FakeGateway = self.server  # type: ignore[assignment]
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        server.received.append({**body, "auth": self.headers.get("Authorization")})
        self.send_response(server.answer)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def gateway(settings: Any) -> Iterator[FakeGateway]:
    server = FakeGateway(("127.0.0.1", 0), Handler)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_address[1]}/messages"
    settings.SMS_GATEWAY_TOKEN = "test-token"
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_an_urgent_absence_is_texted_to_a_guardian_with_a_number(school_a, smtp, gateway):
    parent = person(school_a, Role.GUARDIAN, phone="+33612345678")
    without = person(school_a, Role.GUARDIAN)
    refused = person(school_a, Role.GUARDIAN, channels={"absence": {"sms": False}}, phone="+33698765432")
    deliver(school_a, tell(school_a, [parent.pk, without.pk, refused.pk]), now=NOON)
    [sms] = gateway.received
    assert sms["to"] == "+33612345678" and sms["auth"] == "Bearer test-token"
    assert sms["text"].startswith("Collège Alpha: ") and "Léa" in sms["text"]
    assert {m.to for m in smtp.messages()} == {parent.email, without.email, refused.email}


def test_a_type_the_school_does_not_hold_urgent_is_not_texted(school_a, smtp, gateway):
    parent = person(school_a, Role.GUARDIAN, phone="+33612345678")
    deliver(school_a, tell(school_a, [parent.pk], type_="homework"), now=NOON)
    assert gateway.received == []


def test_a_number_the_gateway_refuses_is_recorded_and_not_retried(school_a, smtp, gateway):
    gateway.answer = 400
    parent = person(school_a, Role.GUARDIAN, phone="+33612345678")
    deliver(school_a, tell(school_a, [parent.pk]), now=NOON)
    with schema_context(school_a.schema_name):
        sms = Delivery.objects.get(channel="sms")
    assert sms.status == DeliveryStatus.BOUNCED


def test_texts_wait_for_the_end_of_the_quiet_hours(school_a, smtp, gateway):
    parent = person(school_a, Role.GUARDIAN, phone="+33612345678")
    deliver(school_a, tell(school_a, [parent.pk]), now=datetime.datetime(2026, 3, 10, 22, 0, tzinfo=PARIS))
    assert gateway.received == []
    with schema_context(school_a.schema_name):
        assert Delivery.objects.get(channel="sms").not_before == datetime.datetime(
            2026, 3, 11, 7, tzinfo=PARIS
        )
