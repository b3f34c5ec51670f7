"""Helpers of the sign-in tests: an authenticator app, signing in through the pages."""

from __future__ import annotations

import re
import time

import pyotp
from django.test import Client
from django.utils import timezone

from shared_apps.identity.auth_models import TOTPDevice
from shared_apps.identity.models import User
from tests.factories import PASSWORD


def with_authenticator(user: User) -> pyotp.TOTP:
    """Give the person a confirmed authenticator app; returns it (to compute codes)."""
    secret = pyotp.random_base32()
    TOTPDevice.objects.create(user=user, secret=secret, confirmed_at=timezone.now())
    return pyotp.TOTP(secret)


def next_code(totp: pyotp.TOTP) -> str:
    """The code of the next 30-second step (accepted for clock drift, newer than any used yet)."""
    return totp.at(time.time() + 30)


def sign_in(client: Client, identifier: str, password: str = PASSWORD, **extra: str):
    return client.post("/accounts/login/", {"username": identifier, "password": password, **extra})


def alert_text(response) -> str:
    """The text of the page's role="alert" region (what a screen reader announces)."""
    match = re.search(r'<(\w+)[^>]*role="alert"[^>]*>(.*?)</\1>', response.content.decode(), re.S)
    assert match, "no alert on the page"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(2))).strip()
