"""Text messages through an HTTP SMS gateway (the provider set by settings).

``SMS_GATEWAY_URL`` (empty: no text message is ever sent), ``SMS_GATEWAY_TOKEN`` (a bearer
token), ``SMS_SENDER`` (the sender name shown on the phone). The adapter POSTs JSON
``{"to": "+33…", "text": "…", "sender": "MBN", "reference": "…"}``; a 2xx answer means accepted,
a 4xx a refused number (recorded, not retried), anything else or no answer a failure to retry.
The reference makes a resend of the same delivery recognisable by the provider.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

from django.conf import settings

PHONE_RE = re.compile(r"^\+[1-9]\d{7,14}$")
MAX_LENGTH = 306  # two SMS segments


class SmsRefused(Exception):
    """The gateway refused the message for good (e.g. an invalid number)."""


def sms_enabled() -> bool:
    return bool(getattr(settings, "SMS_GATEWAY_URL", ""))


def sms_send(*, to: str, text: str, reference: str) -> None:
    """Hand one message to the gateway. Raises ``SmsRefused`` (permanent) or ``OSError`` (retry)."""
    if not PHONE_RE.match(to):
        raise SmsRefused("invalid number")
    payload = json.dumps(
        {"to": to, "text": text[:MAX_LENGTH], "sender": settings.SMS_SENDER, "reference": reference}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - the URL comes from the settings
        settings.SMS_GATEWAY_URL,
        data=payload,
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            answer.read()
    except urllib.error.HTTPError as exc:
        if 400 <= exc.code < 500 and exc.code != 429:
            raise SmsRefused(f"gateway answered {exc.code}") from exc
        raise OSError(f"gateway answered {exc.code}") from exc
