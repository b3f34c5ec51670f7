"""Offboarding with export, and restoring: an offboarded establishment's export restores into a new
schema with the same rows and files.

pg_dump and psql run in other processes and see committed data only, so these tests commit
(``django_db_blocker.unblock()``, not the rolled-back ``db`` transaction), use names of their own
and remove what they made at the end. They do not use ``transactional_db``: its flush would
empty the public tables, the session's establishments included.
"""

from __future__ import annotations

import io
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django_tenants.utils import schema_context, schema_exists

from mbn_platform.kernel.errors import Conflict, ValidationFailed
from mbn_platform.kernel.storage import EstablishmentFileSystemStorage
from shared_apps.audit.models import AuditEntry
from shared_apps.identity.models import Membership, MembershipStatus, User
from shared_apps.identity.roles import Role
from tenant_apps.school.models import Member
from tenants.models import Establishment, EstablishmentStatus
from tenants.offboarding import establishment_export, establishment_offboard, establishment_restore
from tenants.offboarding.archives import ArchiveInvalid
from tenants.schemas import template_schema_name
from tests.conftest import client_for, s3_client
from tests.provisioning.offboarding_world import (
    BACKUPS_BUCKET,
    World,
    memberships_of,
    s3_storage,
    schema_rows,
    schema_shape,
    school_fill,
    tenant_schemas,
)


@pytest.mark.parametrize("where", ["filesystem", "s3"])
def test_an_offboarded_establishment_restores_into_a_new_schema_with_the_same_rows_and_files(
    world: World, fs_storage: EstablishmentFileSystemStorage, request: pytest.FixtureRequest, where: str
) -> None:
    # Given a school with people, rows and files, and exports kept locally or on S3.
    if where == "s3":
        endpoint = request.getfixturevalue("s3_endpoint")
        request.getfixturevalue("s3_backups")
        storage: Storage = s3_storage(endpoint)
    else:
        storage = fs_storage
    operator = world.person()
    school = world.school()
    head, files = school_fill(world, school, storage)
    host = school.domains.get(is_primary=True).domain
    old_schema = school.schema_name
    rows_before = schema_rows(old_schema)
    memberships_before = memberships_of(school)

    # When it is exported...
    export = establishment_export(actor=operator, establishment=school, storage=storage)
    assert export.manifest.uai == school.uai and export.manifest.schema == old_schema
    assert {name.removeprefix(f"{old_schema}/") for name in files} <= {f.name for f in export.manifest.files}
    assert export.manifest.tables["school_schoolclass"].rows == 2
    if where == "s3":
        keys = {o["Key"] for o in s3_client(endpoint).list_objects_v2(Bucket=BACKUPS_BUCKET)["Contents"]}
        assert {export.key, f"{export.key}.sha256"} <= keys
        assert export.location == f"s3://{BACKUPS_BUCKET}/{export.key}"
    else:
        assert Path(export.location).is_file()

    # ...a wrong confirmation is refused and deletes nothing...
    with pytest.raises(ValidationFailed) as refused:
        establishment_offboard(
            actor=operator,
            establishment=school,
            confirm_uai="0670001M",
            export_key=export.key,
            storage=storage,
        )
    assert "confirm_uai" in refused.value.fields
    assert Establishment.objects.filter(pk=school.pk).exists() and schema_exists(old_schema)
    with schema_context(old_schema):
        assert all(storage.exists(name) for name in files)

    # ...and with its UAI typed again, it is offboarded: schema, row, domain, files, memberships gone.
    establishment_offboard(
        actor=operator,
        establishment=school,
        confirm_uai=school.uai.lower(),
        export_key=export.key,
        storage=storage,
    )
    assert not Establishment.objects.filter(uai=school.uai).exists()
    assert not schema_exists(old_schema)
    assert not Membership.objects.filter(user=head).exists()
    with schema_context(old_schema):
        assert not any(storage.exists(name) for name in files)
    if where == "filesystem":
        assert not (world.tmp_path / "media" / old_schema).exists()
    gone = client_for().get("/", HTTP_HOST=host)
    assert gone.status_code == 404 and host in gone.content.decode()

    # When the export is restored, it is the same school under a new schema.
    restored = establishment_restore(actor=operator, export_key=export.key, storage=storage)
    assert restored.schema_name != old_schema and restored.uai == school.uai
    assert restored.status == EstablishmentStatus.ACTIVE
    assert restored.domains.get(is_primary=True).domain == host
    assert schema_rows(restored.schema_name) == rows_before
    assert schema_shape(restored.schema_name) == schema_shape(template_schema_name())
    with schema_context(restored.schema_name):
        for name, content in files.items():
            new_name = name.replace(old_schema, restored.schema_name, 1)
            with storage.open(new_name, "rb") as handle:
                assert handle.read() == content
    assert memberships_of(restored) == memberships_before
    served = client_for(head, restored).get("/")
    assert served.status_code == 200 and school.name in served.content.decode()

    # One audit entry per step; the offboarding one names who belonged.
    offboarded = AuditEntry.objects.get(action="establishment.offboard", details__export_key=export.key)
    assert offboarded.details["uai"] == school.uai and head.pk in offboarded.details["member_user_ids"]
    assert (
        AuditEntry.objects.filter(action="establishment.export", details__export_key=export.key).count() == 1
    )
    assert (
        AuditEntry.objects.filter(action="establishment.restore", establishment_id=restored.pk).count() == 1
    )

    # An export that does not exist is refused, naming the key.
    with pytest.raises(ArchiveInvalid, match="no export") as missing:
        establishment_restore(
            actor=operator, export_key=export.key.replace(".tar.gz", "-x.tar.gz"), storage=storage
        )
    assert "export_key" in missing.value.fields


def test_restoring_relinks_only_people_who_still_exist(world: World, fs_storage: Storage) -> None:
    school = world.school()
    stays, leaves = world.person(school, Role.TEACHER), world.person(school, Role.STUDENT)
    export = establishment_export(actor=None, establishment=school, storage=fs_storage)
    establishment_offboard(
        actor=None, establishment=school, confirm_uai=school.uai, export_key=export.key, storage=fs_storage
    )
    User.objects.filter(pk=leaves.pk).delete()

    restored = establishment_restore(
        actor=None, export_key=export.key, subdomain="offb-again", storage=fs_storage
    )

    assert restored.domains.get().domain.startswith("offb-again.")
    assert memberships_of(restored) == {(stays.pk, Role.TEACHER, MembershipStatus.ACTIVE)}
    with schema_context(restored.schema_name):
        assert Member.objects.get(user_id=stays.pk).is_active
        left = Member.objects.get(user_id=leaves.pk)
        assert (left.is_active, left.roles) == (False, [])
    entry = AuditEntry.objects.get(action="establishment.restore", establishment_id=restored.pk)
    assert entry.details["people_not_found"] == [leaves.pk]


def test_restore_refuses_a_uai_in_use_and_a_damaged_archive_and_leaves_nothing(
    world: World, fs_storage: Storage, settings: Any
) -> None:
    school = world.school()
    with schema_context(school.schema_name):
        fs_storage.save("homework/sheet.txt", ContentFile(b"x"))
    export = establishment_export(actor=None, establishment=school, storage=fs_storage)
    schemas_before, count_before = tenant_schemas(), Establishment.objects.count()

    # The school still exists: its UAI is taken.
    with pytest.raises(Conflict) as taken:
        establishment_restore(actor=None, export_key=export.key, subdomain="offb-copy", storage=fs_storage)
    assert "uai" in taken.value.fields
    # A subdomain in use is refused too.
    with pytest.raises(Conflict) as host_taken:
        establishment_restore(actor=None, export_key=export.key, uai=world.uai(), storage=fs_storage)
    assert "subdomain" in host_taken.value.fields

    # A damaged archive (one byte changed) does not match its checksum.
    archive = Path(settings.EXPORTS_ROOT) / export.key
    damaged = bytearray(archive.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    archive.write_bytes(bytes(damaged))
    with pytest.raises(ArchiveInvalid):
        establishment_restore(actor=None, export_key=export.key, uai=world.uai(), storage=fs_storage)
    # Nor does offboarding accept it.
    with pytest.raises(Conflict):
        establishment_offboard(
            actor=None,
            establishment=school,
            confirm_uai=school.uai,
            export_key=export.key,
            storage=fs_storage,
        )

    assert tenant_schemas() == schemas_before
    assert Establishment.objects.count() == count_before
    assert sorted(p.name for p in (world.tmp_path / "media").iterdir()) == [school.schema_name]


def test_a_consistent_but_altered_archive_is_refused(
    world: World, fs_storage: Storage, settings: Any
) -> None:
    """An archive rebuilt with a changed member and a fresh checksum still fails the manifest's checksums."""
    school = world.school()
    export = establishment_export(actor=None, establishment=school, storage=fs_storage)
    archive = Path(settings.EXPORTS_ROOT) / export.key
    rebuilt = io.BytesIO()
    with tarfile.open(archive, "r:gz") as source, tarfile.open(fileobj=rebuilt, mode="w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == "schema.sql":
                data = data.replace(b"COPY ", b"COPY  ", 1)
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    archive.write_bytes(rebuilt.getvalue())
    from tenants.offboarding.archives import sha256_of

    (archive.parent / f"{archive.name}.sha256").write_text(f"{sha256_of(archive)}  {archive.name}\n")
    schemas_before = tenant_schemas()

    with pytest.raises(ArchiveInvalid, match="does not match its manifest"):
        establishment_restore(
            actor=None, export_key=export.key, uai=world.uai(), subdomain="offb-x", storage=fs_storage
        )
    assert tenant_schemas() == schemas_before


class FailingStorage(EstablishmentFileSystemStorage):
    """Saves ``saves_left`` more files, then fails (a full disk, an S3 outage); None: never fails."""

    saves_left: int | None = None

    def _save(self, name: str, content: Any) -> str:
        if self.saves_left is not None:
            if self.saves_left == 0:
                raise OSError("No space left on device")
            self.saves_left -= 1
        return super()._save(name, content)


def test_a_restore_failing_halfway_leaves_nothing_and_can_be_run_again(world: World, tmp_path: Path) -> None:
    storage = FailingStorage(location=tmp_path / "media")
    school = world.school()
    with schema_context(school.schema_name):
        storage.save("a.txt", ContentFile(b"a"))
        storage.save("b/b.txt", ContentFile(b"b"))
    export = establishment_export(actor=None, establishment=school, storage=storage)
    establishment_offboard(
        actor=None, establishment=school, confirm_uai=school.uai, export_key=export.key, storage=storage
    )
    schemas_before = tenant_schemas()

    storage.saves_left = 1  # the schema is loaded, the first file copied, the second fails
    with pytest.raises(OSError, match="No space left"):
        establishment_restore(actor=None, export_key=export.key, storage=storage)
    assert not Establishment.objects.filter(uai=school.uai).exists()
    assert tenant_schemas() == schemas_before
    assert list((tmp_path / "media").iterdir()) == []

    storage.saves_left = None
    restored = establishment_restore(actor=None, export_key=export.key, storage=storage)
    with schema_context(restored.schema_name):
        assert storage.open(f"{restored.schema_name}/b/b.txt").read() == b"b"
