"""Secrets encrypted at rest (e.g. authenticator seeds), with key rotation.

``FIELD_ENCRYPTION_KEYS`` (settings, from the environment) lists Fernet keys, newest first: values
are encrypted with the first and decrypted with any, so a new key is added in front, the data is
re-encrypted (``mbn rotate_encryption_keys``), then the old key is removed. Development and tests
derive one key from ``SECRET_KEY``; production refuses to start without real keys.

``EncryptedTextField`` stores the token and gives back the clear text; the clear text never
reaches the database, its logs or its backups.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


def key_from_secret(secret: str) -> str:
    """A Fernet key derived from a secret (development and tests only)."""
    digest = hashlib.sha256(f"mbn-field-encryption:{secret}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


@functools.cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def cipher() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return cipher().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return cipher().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("A value could not be decrypted with any of FIELD_ENCRYPTION_KEYS.") from exc


def reencrypt(token: str) -> str:
    """The same clear text, encrypted with the newest key."""
    return cipher().rotate(token.encode()).decode()


class EncryptedTextField(models.TextField):
    """Text kept encrypted in the database ("" stays "": nothing to hide)."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if not value:
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt(str(value))
