"""The libraries: one per collaborative space, one per person (created on first use)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from tenant_apps.documents.models import Library
from tenant_apps.school.models import Member


def library_for_space(space_id: int) -> Library:
    """The library of the collaborative space ``space_id`` (got or created: idempotent)."""
    return _get_or_create(kind=Library.Kind.SPACE, space_id=int(space_id))


def library_for_person(member: Member) -> Library:
    """The personal documents of ``member`` (got or created: idempotent)."""
    return _get_or_create(kind=Library.Kind.PERSONAL, owner=member)


def _get_or_create(**lookup: object) -> Library:
    found = Library.objects.filter(**lookup).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Library.objects.create(**lookup)
    except IntegrityError:  # created meanwhile by a concurrent request
        return Library.objects.get(**lookup)
