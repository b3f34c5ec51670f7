"""Web Push, a channel of the notification service, against a real HTTP push service stand-in
that checks the VAPID signature and decrypts what it receives: a guardian's device gets the
title and link, once; a forgotten device is removed; quiet hours hold pushes; the devices API."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterator
from typing import Any

import pytest
from django_tenants.utils import schema_context

from shared_apps.audit.models import AuditEntry
from shared_apps.identity.roles import Role
from shared_apps.notifications.models import PushSubscription
from tenant_apps.notifications.models import Delivery, DeliveryStatus
from tests.conftest import client_for
from tests.notifications.helpers import deliver, person, tell
from tests.notifications.push_service import PushService, push_service

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NOON = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=PARIS)
DEVICES = "/api/v1/notifications/push/subscriptions/"


@pytest.fixture
def service(settings: Any) -> Iterator[PushService]:
    with push_service(settings.WEB_PUSH["VAPID_PUBLIC_KEY"]) as server:
        settings.WEB_PUSH = {**settings.WEB_PUSH, "SERVICE_HOSTS": ("127.0.0.1",)}
        yield server


def subscribed(establishment: Any, service: PushService, role: str = Role.GUARDIAN, **choices: Any) -> Any:
    user = person(establishment, role, **choices)
    device = service.device()
    answer = client_for(user, establishment, api=True).post(
        DEVICES, {**device.subscription(), "device": "Firefox — Android"}, format="json"
    )
    assert answer.status_code == 201, answer.content
    return user


def test_a_subscribed_guardian_gets_the_title_and_link_once_signed_and_encrypted(school_a, smtp, service):
    parent = subscribed(school_a, service)
    notified = tell(school_a, [parent.pk], link="/attendance/family/")
    deliver(school_a, notified, now=NOON)
    [push] = service.received
    assert service.refused == []
    assert push["payload"]["title"] == "Collège Alpha: Absence de Léa"  # in the guardian's language
    assert push["payload"]["body"] == "Marked absent at 8:00."
    assert push["payload"]["url"].startswith("http") and push["payload"]["url"].endswith(
        "/attendance/family/"
    )
    assert push["ttl"] == "86400"
    with schema_context(school_a.schema_name):
        assert Delivery.objects.get(channel="push").status == DeliveryStatus.SENT
        assert deliver(school_a, notified, now=NOON) == 0  # a second run sends nothing again
    assert len(service.received) == 1
    assert PushSubscription.objects.get(user=parent).last_sent_at is not None


def test_a_device_the_push_service_forgot_is_removed(school_a, smtp, service):
    service.answer = 410
    parent = subscribed(school_a, service)
    deliver(school_a, tell(school_a, [parent.pk]), now=NOON)
    assert not PushSubscription.objects.filter(user=parent).exists()
    with schema_context(school_a.schema_name):
        assert Delivery.objects.get(channel="push").status == DeliveryStatus.FAILED


def test_a_push_service_that_fails_is_retried_by_the_task(school_a, smtp, service):
    service.answer = 503
    parent = subscribed(school_a, service)
    with pytest.raises(OSError, match="push service"):
        deliver(school_a, tell(school_a, [parent.pk]), now=NOON)
    with schema_context(school_a.schema_name):
        push = Delivery.objects.get(channel="push")
    assert (push.status, push.attempts) == (DeliveryStatus.PENDING, 1)
    assert PushSubscription.objects.filter(user=parent).exists()


def test_pushes_wait_for_the_end_of_the_quiet_hours(school_a, smtp, service):
    parent = subscribed(school_a, service)
    deliver(school_a, tell(school_a, [parent.pk]), now=datetime.datetime(2026, 3, 10, 22, 0, tzinfo=PARIS))
    assert service.received == []
    with schema_context(school_a.schema_name):
        assert Delivery.objects.get(channel="push").not_before == datetime.datetime(
            2026, 3, 11, 7, tzinfo=PARIS
        )


def test_push_follows_the_preferences_and_the_role(school_a, smtp, service):
    refused = subscribed(school_a, service, channels={"absence": {"push": False}})
    teacher = subscribed(school_a, service, role=Role.TEACHER)
    without_device = person(school_a, Role.GUARDIAN)
    deliver(school_a, tell(school_a, [refused.pk, teacher.pk, without_device.pk]), now=NOON)
    deliver(school_a, tell(school_a, [teacher.pk], type_="message", title="Nouveau message"), now=NOON)
    assert [p["payload"]["title"] for p in service.received] == ["Collège Alpha: Nouveau message"]


def test_the_devices_api_lists_and_removes_only_ones_own(school_a, school_b, service):
    parent = subscribed(school_a, service)
    other = subscribed(school_a, service)
    client = client_for(parent, school_a, api=True)
    [mine] = client.get(DEVICES).json()["results"]
    assert mine["device"] == "Firefox — Android"
    theirs = PushSubscription.objects.get(user=other)
    assert client.delete(f"{DEVICES}{theirs.pk}/").status_code == 404
    assert client_for(parent, school_b, api=True).get(DEVICES).status_code == 403  # no role there
    assert client.delete(f"{DEVICES}{mine['id']}/").status_code == 204
    assert not PushSubscription.objects.filter(user=parent).exists()
    assert AuditEntry.objects.filter(action="notifications.push_unsubscribed", actor=parent).count() == 1
    assert client.get("/api/v1/notifications/push/key/").json()["public_key"]


def test_a_subscription_to_an_unknown_service_or_with_bad_keys_is_a_400(school_a, service):
    client = client_for(person(school_a, Role.GUARDIAN), school_a, api=True)
    good = service.device().subscription()
    for body, field in (
        ({**good, "endpoint": "https://attacker.example/collect"}, "endpoint"),
        ({**good, "endpoint": "http://169.254.169.254/latest"}, "endpoint"),
        ({**good, "keys": {"p256dh": "abc", "auth": good["keys"]["auth"]}}, "p256dh"),
        ({**good, "keys": {"p256dh": good["keys"]["p256dh"], "auth": "%%%"}}, "auth"),
        ({**good, "keys": {}}, "keys"),
    ):
        answer = client.post(DEVICES, body, format="json")
        assert answer.status_code == 400, (body, answer.content)
        assert field in str(answer.json()), answer.json()
    assert not PushSubscription.objects.exists()


def test_a_device_subscribed_again_by_someone_else_becomes_theirs(school_a, service):
    device = service.device()
    first, second = person(school_a, Role.GUARDIAN), person(school_a, Role.STUDENT)
    for user in (first, second):
        answer = client_for(user, school_a, api=True).post(DEVICES, device.subscription(), format="json")
        assert answer.status_code == 201
    assert list(PushSubscription.objects.values_list("user_id", flat=True)) == [second.pk]


def test_the_preferences_page_lists_the_devices_and_removes_one(
    school_a, service, django_assert_max_num_queries
):
    parent = subscribed(school_a, service)
    page = client_for(parent, school_a)
    with django_assert_max_num_queries(20):
        shown = page.get("/notifications/preferences/")
    body = shown.content.decode()
    assert "Firefox — Android" in body and 'id="push-subscribe"' in body and "notifications/push.js" in body
    assert 'name="absence__push"' in body
    subscription = PushSubscription.objects.get(user=parent)
    removed = page.post(f"/notifications/devices/{subscription.pk}/remove/")
    assert removed.status_code == 302 and not PushSubscription.objects.filter(user=parent).exists()
    other = subscribed(school_a, service)
    theirs = PushSubscription.objects.get(user=other)
    assert page.post(f"/notifications/devices/{theirs.pk}/remove/").status_code == 404
