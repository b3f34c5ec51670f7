"""``mbn rotate_encryption_keys``: re-encrypt every encrypted value with the newest key of
``FIELD_ENCRYPTION_KEYS``, so that older keys can then be removed (docs/operations.md).

Encrypted values live in the public schema (authenticator secrets); a model of a tenant app with
an encrypted field would be re-encrypted in each establishment's schema."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from psycopg import sql

from mbn_platform.kernel.encryption import EncryptedTextField, reencrypt


class Command(BaseCommand):
    help = "Re-encrypt every encrypted value with the newest key of FIELD_ENCRYPTION_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for model in apps.get_models():
            columns = [str(f.column) for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)]
            if columns and model._meta.pk is not None:
                total += self._rotate(model._meta.db_table, str(model._meta.pk.column), columns)
        self.stdout.write(f"{total} value(s) re-encrypted with the newest key.")

    @staticmethod
    def _rotate(table: str, pk: str, columns: list[str]) -> int:
        count = 0
        select = sql.SQL("SELECT {}, {} FROM {} FOR UPDATE").format(
            sql.Identifier(pk), sql.SQL(", ").join(map(sql.Identifier, columns)), sql.Identifier(table)
        )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(select)
            for row_pk, *values in cursor.fetchall():
                fresh = [reencrypt(value) if value else value for value in values]
                assignments = sql.SQL(", ").join(
                    sql.SQL("{} = %s").format(sql.Identifier(c)) for c in columns
                )
                cursor.execute(
                    sql.SQL("UPDATE {} SET {} WHERE {} = %s").format(
                        sql.Identifier(table), assignments, sql.Identifier(pk)
                    ),
                    [*fresh, row_pk],
                )
                count += sum(1 for value in values if value)
        return count
