"""What an export records of a live establishment besides its schema: files, memberships, public rows."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.core.files.storage import FileSystemStorage, Storage
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
