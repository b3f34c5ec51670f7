"""Authenticator secrets are encrypted at rest, with key rotation."""

from __future__ import annotations

import io

import pyotp
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from shared_apps.identity.auth_models import TOTPDevice
from tests.factories import UserFactory


def _stored(device: TOTPDevice) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM identity_totpdevice WHERE id = %s", [device.pk])
        return str(cursor.fetchone()[0])


def test_the_secret_is_never_stored_in_clear_and_reads_back(db):
    secret = pyotp.random_base32()
    device = TOTPDevice.objects.create(user=UserFactory(), secret=secret)
    stored = _stored(device)
    assert secret not in stored and len(stored) > 64
    assert TOTPDevice.objects.get(pk=device.pk).secret == secret


def test_rotation_moves_every_secret_to_the_new_key_and_the_old_key_can_go(db, settings):
    secret = pyotp.random_base32()
    device = TOTPDevice.objects.create(user=UserFactory(), secret=secret)
    old_keys = list(settings.FIELD_ENCRYPTION_KEYS)
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *old_keys]
    before = _stored(device)
    output = io.StringIO()
    call_command("rotate_encryption_keys", stdout=output)
    assert _stored(device) != before
    assert "re-encrypted" in output.getvalue()
    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key removed
    assert TOTPDevice.objects.get(pk=device.pk).secret == secret
