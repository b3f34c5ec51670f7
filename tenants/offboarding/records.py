"""What an export records of a live establishment besides its schema: files, memberships, public rows."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from django.core import serializers
from django.core.files.storage import FileSystemStorage, Storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import ForeignObjectRel
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from mbn_platform.kernel.errors import Conflict
from shared_apps.identity.models import Membership
from tenants.models import Establishment
from tenants.offboarding.archives import MembershipEntry, safe_relative_name


def memberships_of(establishment: Establishment) -> list[MembershipEntry]:
    return [
        MembershipEntry(user_id=user_id, login=login, role=role, status=status)
        for user_id, login, role, status in Membership.objects.filter(establishment=establishment)
        .order_by("user_id", "role")
        .values_list("user_id", "user__login", "role", "status")
    ]


def _public_relations() -> list[tuple[type[models.Model], str]]:
    """Public models whose rows go (or lose their link) when an establishment row is deleted.

    The audit log (``DO_NOTHING``, no database constraint) is not among them: it stays.
    """
    relations: list[tuple[type[models.Model], str]] = []
    for relation in Establishment._meta.get_fields(include_hidden=True):
        if not isinstance(relation, ForeignObjectRel) or relation.on_delete is models.DO_NOTHING:
            continue
        model = relation.related_model
        if isinstance(model, type) and issubclass(model, models.Model):
            relations.append((model, relation.field.name))
    return sorted(relations, key=lambda item: (item[0]._meta.label_lower, item[1]))


def public_rows(establishment: Establishment) -> tuple[bytes, dict[str, int]]:
    objects: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    for model, field_name in _public_relations():
        rows = serializers.serialize(
            "python", model._default_manager.filter(**{field_name: establishment}).order_by("pk")
        )
        counts[model._meta.label_lower] = counts.get(model._meta.label_lower, 0) + len(rows)
        objects.extend(rows)
    return json.dumps(objects, cls=DjangoJSONEncoder, indent=1).encode(), counts


def stored_files(storage: Storage, schema: str) -> dict[str, int]:
    """Every file under the establishment's prefix ``<schema>/``, with its size."""
    from storages.backends.s3 import S3Storage

    prefix = f"{schema}/"
    if isinstance(storage, S3Storage) and not storage.location:
        # One listing request per thousand files, sizes included.
        listing = {obj.key: obj.size for obj in storage.bucket.objects.filter(Prefix=prefix)}
        files = {key: int(size) for key, size in listing.items() if not key.endswith("/")}
    else:
        files = {}
        pending = [schema]
        while pending:
            folder = pending.pop()
            try:
                folders, names = storage.listdir(folder)
            except FileNotFoundError:
                continue
            pending.extend(f"{folder}/{sub}" for sub in folders)
            files.update({f"{folder}/{name}": storage.size(f"{folder}/{name}") for name in names})
    unsafe = [name for name in files if not safe_relative_name(name.removeprefix(prefix))]
    if unsafe:
        raise Conflict(_("Stored file names that cannot be archived: %(names)s") % {"names": unsafe[:5]})
    return dict(sorted(files.items()))


def files_delete(storage: Storage, schema: str) -> None:
    """Delete everything under the prefix (and, on a filesystem, the emptied folders)."""
    with schema_context(schema):
        for name in stored_files(storage, schema):
            storage.delete(name)
    if isinstance(storage, FileSystemStorage):
        root = Path(storage.path(schema))
        if root.is_dir() and not any(path.is_file() for path in root.rglob("*")):
            shutil.rmtree(root)
