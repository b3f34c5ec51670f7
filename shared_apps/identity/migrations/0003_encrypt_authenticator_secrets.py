"""Authenticator secrets are encrypted at rest (mbn_platform/kernel/encryption.py): the columns
become text, then every stored secret is encrypted in place (and decrypted back on reverse)."""

from typing import Any

from django.db import migrations

import mbn_platform.kernel.encryption

COLUMNS = ("secret", "pending_secret")


def _transform(schema_editor: Any, change: Any) -> None:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, secret, pending_secret FROM identity_totpdevice")
        for pk, *values in cursor.fetchall():
            new = [change(value) if value else value for value in values]
            cursor.execute(
                "UPDATE identity_totpdevice SET secret = %s, pending_secret = %s WHERE id = %s", [*new, pk]
            )


def encrypt_existing(apps: Any, schema_editor: Any) -> None:
    _transform(schema_editor, mbn_platform.kernel.encryption.encrypt)


def decrypt_existing(apps: Any, schema_editor: Any) -> None:
    _transform(schema_editor, mbn_platform.kernel.encryption.decrypt)


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0002_sign_in"),
    ]

    operations = [
        migrations.AlterField(
            model_name="totpdevice",
            name="pending_secret",
            field=mbn_platform.kernel.encryption.EncryptedTextField(blank=True, default=""),
        ),
        migrations.AlterField(
            model_name="totpdevice",
            name="secret",
            field=mbn_platform.kernel.encryption.EncryptedTextField(blank=True, default=""),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
