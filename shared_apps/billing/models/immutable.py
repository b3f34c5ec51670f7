"""Records that are written once and never changed: usage records and issued invoices.

The ORM refuses ``save`` on an existing row, ``delete`` and queryset ``update``/``delete``; a
database trigger (migration 0002) refuses UPDATE and DELETE from any client as well.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models


class RecordIsImmutable(Exception):
    """Raised on any attempt to change or remove an immutable billing record through the ORM."""


M = TypeVar("M", bound=models.Model)


class ImmutableQuerySet(models.QuerySet[M]):
    def update(self, **kwargs: Any) -> int:
        raise RecordIsImmutable("This record is never changed once written.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise RecordIsImmutable("This record is never deleted.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise RecordIsImmutable("This record is never changed once written.")


class ImmutableModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RecordIsImmutable("This record is never changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RecordIsImmutable("This record is never deleted.")
