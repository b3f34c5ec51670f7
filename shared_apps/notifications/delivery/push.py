"""Web Push: a notification to each device a person subscribed (the MBN app, a browser).

Each request is signed with the platform's VAPID key (``settings.WEB_PUSH``) and its payload
encrypted for the device (``aes128gcm``, RFC 8291) by pywebpush. A push service answering 404 or
410 has forgotten the device: its subscription is deleted. Any other failure (no answer, 5xx,
429) is for a retry.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from django.conf import settings
from django.utils import timezone

from shared_apps.notifications.models import PushSubscription

#: What a push service keeps at most (4 KB after encryption): the body is cut before.
MAX_BODY = 1000
GONE = (404, 410)


class PushOutcome(StrEnum):
    SENT = "sent"  # at least one device took it
    NO_DEVICE = "no_device"  # the person has no (more) subscribed device
    RETRY = "retry"  # every device failed for now


@dataclass(frozen=True)
class PushMessage:
    title: str
    body: str
    url: str
    tag: str
    language: str
    urgent: bool = False

    def payload(self) -> str:
        return json.dumps(
            {
                "title": self.title[:200],
                "body": self.body[:MAX_BODY],
                "url": self.url,
                "tag": self.tag,
                "lang": self.language,
            }
        )


def push_enabled() -> bool:
    return bool(settings.WEB_PUSH["VAPID_PRIVATE_KEY"])


@cache
def _vapid(private_pem: str) -> Any:
    from py_vapid import Vapid

    return Vapid.from_pem(private_pem.encode())


def subscribed_people(user_ids: Iterable[int]) -> set[int]:
    return set(PushSubscription.objects.filter(user_id__in=list(user_ids)).values_list("user_id", flat=True))


def push_to_people(messages: dict[int, PushMessage]) -> dict[int, tuple[PushOutcome, str]]:
    """Send each person's message to each of their devices (one query for the devices)."""
    devices: dict[int, list[PushSubscription]] = {}
    for subscription in PushSubscription.objects.filter(user_id__in=list(messages)).order_by("pk"):
        devices.setdefault(subscription.user_id, []).append(subscription)
    results: dict[int, tuple[PushOutcome, str]] = {}
    gone: list[int] = []
    reached: list[int] = []
    for user_id, message in messages.items():
        errors: list[str] = []
        for subscription in devices.get(user_id, []):
            error = _send(subscription, message)
            if error is None:
                reached.append(subscription.pk)
            elif error in GONE:
                gone.append(subscription.pk)
            else:
                errors.append(str(error))
        if any(s.pk in reached for s in devices.get(user_id, [])):
            results[user_id] = (PushOutcome.SENT, "")
        elif errors:
            results[user_id] = (PushOutcome.RETRY, "; ".join(errors)[:300])
        else:
            results[user_id] = (PushOutcome.NO_DEVICE, "no subscribed device")
    if gone:
        PushSubscription.objects.filter(pk__in=gone).delete()
    if reached:
        PushSubscription.objects.filter(pk__in=reached).update(last_sent_at=timezone.now())
    return results


def _send(subscription: PushSubscription, message: PushMessage) -> int | str | None:
    """``None`` when the push service took it, else its HTTP status or the error."""
    from pywebpush import WebPushException, webpush

    config = settings.WEB_PUSH
    try:
        webpush(
            subscription_info={
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=message.payload(),
            vapid_private_key=_vapid(config["VAPID_PRIVATE_KEY"]),
            vapid_claims={"sub": config["CONTACT"]},
            content_encoding="aes128gcm",
            ttl=config["TTL"],
            headers={"Urgency": "high" if message.urgent else "normal"},
            timeout=10,
        )
    except WebPushException as exc:
        status = exc.response.status_code if exc.response is not None else None
        return status if status is not None else str(exc)[:100]
    except OSError as exc:  # no answer (requests' errors are OSErrors)
        return f"{type(exc).__name__}"
    return None
