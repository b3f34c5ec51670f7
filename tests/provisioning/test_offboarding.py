"""Offboarding with export, and restoring: an offboarded establishment's export restores into a new
schema with the same rows and files.

pg_dump and psql run in other processes and see committed data only, so these tests commit
(``django_db_blocker.unblock()``, not the rolled-back ``db`` transaction), use names of their own
and remove what they made at the end. They do not use ``transactional_db``: its flush would
empty the public tables, the session's establishments included.
"""

from __future__ import annotations

import io
import secrets
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django_tenants.utils import schema_context, schema_exists
from psycopg import sql

from mbn_platform.kernel.errors import Conflict, ValidationFailed
from mbn_platform.kernel.storage import EstablishmentFileSystemStorage, EstablishmentS3Storage
from shared_apps.audit.models import AuditEntry
from shared_apps.identity.models import Membership, MembershipStatus, User
from shared_apps.identity.roles import Role
from shared_apps.identity.services import membership_end, membership_grant
from tenant_apps.school.models import Member, SchoolClass
from tenants.models import Establishment, EstablishmentKind, EstablishmentStatus
from tenants.offboarding import establishment_export, establishment_offboard, establishment_restore
from tenants.offboarding.archives import ArchiveInvalid
from tenants.offboarding.schema_dumps import dump_rename
from tenants.provisioning.jobs import establishment_create
from tenants.schemas import schema_catalog, schema_pending_migrations, template_schema_name
from tenants.uai import uai_check_letter
from tests.conftest import S3_DOCUMENTS_BUCKET, client_for, s3_client

BACKUPS_BUCKET = "mbn-test-backups"


@dataclass
class World:
    """Committed establishments and people made by one test, removed at its end."""

    tmp_path: Path
    uais: list[str] = field(default_factory=list)
    users: list[int] = field(default_factory=list)

    def uai(self) -> str:
        while True:
            digits = f"067{secrets.randbelow(10_000):04d}"
            code = digits + uai_check_letter(digits)
            if code not in self.uais and not Establishment.objects.filter(uai=code).exists():
                self.uais.append(code)
                return code

    def school(self) -> Establishment:
        token = secrets.token_hex(3)
        return establishment_create(
            actor=None,
            uai=self.uai(),
            name=f"Collège Offboarding {token}",
            kind=EstablishmentKind.COLLEGE,
            academie="Strasbourg",
            departement="67",
            subdomain=f"offb-{token}",
        )

    def person(self, school: Establishment | None = None, role: str = Role.TEACHER, **fields: Any) -> User:
        token = secrets.token_hex(4)
        user = User.objects.create_user(
            f"offb-{token}", first_name="Ada", last_name=f"Test {token}", **fields
        )
        self.users.append(user.pk)
        if school is not None:
            membership_grant(actor=None, user=user, establishment=school, role=role)
        return user

    def cleanup(self) -> None:
        connection.set_schema_to_public()
        for establishment in Establishment.objects.filter(uai__in=self.uais):
            establishment.delete(force_drop=True)
        User.objects.filter(pk__in=self.users).delete()


@pytest.fixture
def world(django_db_setup: None, django_db_blocker: Any, tmp_path: Path, settings: Any) -> Iterator[World]:
    settings.EXPORTS_ROOT = tmp_path / "exports"
    settings.S3_BACKUPS_BUCKET = ""
    # Files written by the services themselves (establishment_create's marker) stay in tmp_path too.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "mbn_platform.kernel.storage.EstablishmentFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    with django_db_blocker.unblock():
        made = World(tmp_path=tmp_path)
        try:
            yield made
        finally:
            made.cleanup()


@pytest.fixture
def fs_storage(tmp_path: Path) -> EstablishmentFileSystemStorage:
    return EstablishmentFileSystemStorage(location=tmp_path / "media")


@pytest.fixture
def s3_backups(s3_endpoint: str, settings: Any) -> str:
    """Exports go to a bucket of the test S3 server."""
    client = s3_client(s3_endpoint)
    if BACKUPS_BUCKET not in {b["Name"] for b in client.list_buckets()["Buckets"]}:
        client.create_bucket(
            Bucket=BACKUPS_BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"}
        )
    settings.S3_BACKUPS_BUCKET = BACKUPS_BUCKET
    settings.S3_SETTINGS = {
        **settings.S3_SETTINGS,
        "endpoint_url": s3_endpoint,
        "region_name": "eu-west-3",
        "access_key": "test",
        "secret_key": "test",
    }
    return BACKUPS_BUCKET


def _s3_storage(endpoint: str) -> EstablishmentS3Storage:
    return EstablishmentS3Storage(
        bucket_name=S3_DOCUMENTS_BUCKET,
        endpoint_url=endpoint,
        region_name="eu-west-3",
        access_key="test",
        secret_key="test",
        file_overwrite=False,
    )


def _contents(schema: str) -> dict[str, list[str]]:
    """Every row of every table of a schema, as JSON, with the schema's name neutralised."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY 1", [schema])
        tables = [name for (name,) in cursor.fetchall()]
        contents = {}
        for table in tables:
            cursor.execute(
                sql.SQL("SELECT row_to_json(t)::text FROM {}.{} t").format(
                    sql.Identifier(schema), sql.Identifier(table)
                )
            )
            contents[table] = sorted(row.replace(schema, "<schema>") for (row,) in cursor.fetchall())
    return contents


def _shape(schema: str) -> set[tuple[str, str, str, str]]:
    return {(e.kind, e.table, e.name, e.definition) for e in schema_catalog(schema)}


def _memberships(establishment: Establishment) -> set[tuple[int, str, str]]:
    return set(
        Membership.objects.filter(establishment=establishment).values_list("user_id", "role", "status")
    )


def _fill(world: World, school: Establishment, storage: Storage) -> tuple[User, dict[str, bytes]]:
    """People, classes and files in a school; returns its head and its files (name -> bytes)."""
    head = world.person(school, Role.HEAD)
    student = world.person(school, Role.STUDENT)
    leaver = world.person(school, Role.TEACHER)
    membership_end(actor=None, user=leaver, establishment=school, role=Role.TEACHER)
    with schema_context(school.schema_name):
        fourth = SchoolClass.objects.create(name="4e B", level="4e")
        SchoolClass.objects.create(name="3e A", level="3e")
        Member.objects.filter(user_id=student.pk).update(school_class=fourth)
        files = {
            storage.save("homework/exercices.txt", ContentFile(b"Exercices 1 a 4\n")): b"Exercices 1 a 4\n",
            storage.save("spaces/photo.bin", ContentFile(bytes(range(256)) * 300)): bytes(range(256)) * 300,
            storage.save("empty.txt", ContentFile(b"")): b"",
        }
    return head, files


@pytest.mark.parametrize("where", ["filesystem", "s3"])
def test_an_offboarded_establishment_restores_into_a_new_schema_with_the_same_rows_and_files(
    world: World, fs_storage: EstablishmentFileSystemStorage, request: pytest.FixtureRequest, where: str
) -> None:
    # Given a school with people, rows and files, and exports kept locally or on S3.
    if where == "s3":
        endpoint = request.getfixturevalue("s3_endpoint")
        request.getfixturevalue("s3_backups")
        storage: Storage = _s3_storage(endpoint)
    else:
        storage = fs_storage
    operator = world.person()
    school = world.school()
    head, files = _fill(world, school, storage)
    host = school.domains.get(is_primary=True).domain
    old_schema = school.schema_name
    rows_before = _contents(old_schema)
    memberships_before = _memberships(school)

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
    assert _contents(restored.schema_name) == rows_before
    assert _shape(restored.schema_name) == _shape(template_schema_name())
    with schema_context(restored.schema_name):
        for name, content in files.items():
            new_name = name.replace(old_schema, restored.schema_name, 1)
            with storage.open(new_name, "rb") as handle:
                assert handle.read() == content
    assert _memberships(restored) == memberships_before
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
    assert _memberships(restored) == {(stays.pk, Role.TEACHER, MembershipStatus.ACTIVE)}
    with schema_context(restored.schema_name):
        assert Member.objects.get(user_id=stays.pk).is_active
        left = Member.objects.get(user_id=leaves.pk)
        assert (left.is_active, left.roles) == (False, [])
    entry = AuditEntry.objects.get(action="establishment.restore", establishment_id=restored.pk)
    assert entry.details["people_not_found"] == [leaves.pk]


def _schemas() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_%%'")
        return {name for (name,) in cursor.fetchall()}


def test_restore_refuses_a_uai_in_use_and_a_damaged_archive_and_leaves_nothing(
    world: World, fs_storage: Storage, settings: Any
) -> None:
    school = world.school()
    with schema_context(school.schema_name):
        fs_storage.save("homework/sheet.txt", ContentFile(b"x"))
    export = establishment_export(actor=None, establishment=school, storage=fs_storage)
    schemas_before, count_before = _schemas(), Establishment.objects.count()

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

    assert _schemas() == schemas_before
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
    schemas_before = _schemas()

    with pytest.raises(ArchiveInvalid, match="does not match its manifest"):
        establishment_restore(
            actor=None, export_key=export.key, uai=world.uai(), subdomain="offb-x", storage=fs_storage
        )
    assert _schemas() == schemas_before


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
    schemas_before = _schemas()

    storage.saves_left = 1  # the schema is loaded, the first file copied, the second fails
    with pytest.raises(OSError, match="No space left"):
        establishment_restore(actor=None, export_key=export.key, storage=storage)
    assert not Establishment.objects.filter(uai=school.uai).exists()
    assert _schemas() == schemas_before
    assert list((tmp_path / "media").iterdir()) == []

    storage.saves_left = None
    restored = establishment_restore(actor=None, export_key=export.key, storage=storage)
    with schema_context(restored.schema_name):
        assert storage.open(f"{restored.schema_name}/b/b.txt").read() == b"b"


def test_an_export_older_than_the_code_is_migrated_when_restored(world: World, fs_storage: Storage) -> None:
    school = world.school()
    # The school's schema as an older version of the code left it: without the school app's tables.
    call_command(
        "migrate_schemas",
        "school",
        "zero",
        schema_name=school.schema_name,
        tenant=True,
        interactive=False,
        verbosity=0,
    )
    connection.set_schema_to_public()
    export = establishment_export(actor=None, establishment=school, storage=fs_storage)
    assert not any(name.startswith("school.") for name in export.manifest.migrations)
    assert "school_member" not in export.manifest.tables
    establishment_offboard(
        actor=None, establishment=school, confirm_uai=school.uai, export_key=export.key, storage=fs_storage
    )

    restored = establishment_restore(actor=None, export_key=export.key, storage=fs_storage)

    assert schema_pending_migrations(restored.schema_name) == []
    assert _shape(restored.schema_name) == _shape(template_schema_name())


def test_offboarding_refuses_another_schools_export_and_an_outdated_one(
    world: World, fs_storage: Storage
) -> None:
    school, other = world.school(), world.school()
    export = establishment_export(actor=None, establishment=school, storage=fs_storage)

    with pytest.raises(Conflict) as wrong:
        establishment_offboard(
            actor=None, establishment=other, confirm_uai=other.uai, export_key=export.key, storage=fs_storage
        )
    assert "export_key" in wrong.value.fields

    with schema_context(school.schema_name):
        SchoolClass.objects.create(name="Written after the export", level="6e")
    with pytest.raises(Conflict) as outdated:
        establishment_offboard(
            actor=None,
            establishment=school,
            confirm_uai=school.uai,
            export_key=export.key,
            storage=fs_storage,
        )
    assert outdated.value.code == "export_outdated"
    assert schema_exists(school.schema_name) and schema_exists(other.schema_name)


def test_the_commands_export_offboard_and_restore(world: World) -> None:
    school = world.school()
    out = io.StringIO()
    call_command("establishment_export", school.uai, stdout=out, stderr=io.StringIO())
    key = out.getvalue().strip()
    assert key.endswith(".tar.gz")

    with pytest.raises(CommandError, match="confirm_uai"):
        call_command("establishment_offboard", school.uai, "--export", key, "--confirm", "nope")
    with pytest.raises(CommandError, match="export_key"):
        call_command(
            "establishment_offboard", school.uai, "--export", "../../etc/passwd", "--confirm", school.uai
        )
    with pytest.raises(CommandError, match="No establishment"):
        call_command("establishment_export", "0000000A")
    call_command(
        "establishment_offboard", school.uai, "--export", key, "--confirm", school.uai, stdout=io.StringIO()
    )
    assert not Establishment.objects.filter(uai=school.uai).exists()

    out = io.StringIO()
    call_command("establishment_restore", key, "--subdomain", "offb-cmd", stdout=out)
    restored = Establishment.objects.get(uai=school.uai)
    assert restored.schema_name in out.getvalue()
    assert restored.domains.get().domain.startswith("offb-cmd.")


def test_a_newer_pg_dump_line_the_server_does_not_know_is_dropped_and_rows_are_kept() -> None:
    old, new = "t_0123456789", "t_abcdefabcd"
    dump = [
        b"SET statement_timeout = 0;\n",
        b"SET transaction_timeout = 0;\n",
        f"CREATE TABLE {old}.notes (body text);\n".encode(),
        f"COPY {old}.notes (body) FROM stdin;\n".encode(),
        b"SET transaction_timeout = 0;\n",
        f"{old}/homework/a.txt\n".encode(),
        f"x{old}\n".encode().replace(b"x", b"prefix_"),
        b"\\.\n",
        f"SELECT pg_catalog.setval('{old}.notes_id_seq', 3, true);\n".encode(),
    ]
    with pytest.raises(ArchiveInvalid):  # a name glued to another token cannot be renamed safely
        list(dump_rename(dump, source=old, target=new, known_settings={"statement_timeout"}))
    del dump[6]
    out = list(dump_rename(dump, source=old, target=new, known_settings={"statement_timeout"}))
    assert out == [
        b"SET statement_timeout = 0;\n",
        f"CREATE TABLE {new}.notes (body text);\n".encode(),
        f"COPY {new}.notes (body) FROM stdin;\n".encode(),
        b"SET transaction_timeout = 0;\n",  # a row, not a statement
        f"{new}/homework/a.txt\n".encode(),
        b"\\.\n",
        f"SELECT pg_catalog.setval('{new}.notes_id_seq', 3, true);\n".encode(),
    ]


def test_the_api_and_console_export_offboard_and_restore(world: World) -> None:
    from shared_apps.identity.models import RegionRoleAssignment
    from shared_apps.identity.roles import RegionRole
    from tenants.tasks import establishment_export_task
    from tests.conftest import client_for

    school = world.school()
    operator = world.person()
    RegionRoleAssignment.objects.create(user=operator, role=RegionRole.REGION_OPERATOR)
    support = world.person()
    RegionRoleAssignment.objects.create(user=support, role=RegionRole.SUPPORT)
    api = client_for(operator, api=True)

    key = establishment_export_task(school.pk, operator.pk)  # what the queued task runs
    listed = api.get(f"/api/v1/establishments/{school.uai}/exports/").json()
    assert [e["key"] for e in listed] == [key]
    assert key in client_for(operator).get(f"/console/establishments/{school.uai}/").content.decode()

    refused = client_for(support, api=True).post(
        f"/api/v1/establishments/{school.uai}/offboard/",
        {"export_key": key, "confirm_uai": school.uai},
        format="json",
    )
    assert refused.status_code == 403
    wrong = api.post(
        f"/api/v1/establishments/{school.uai}/offboard/",
        {"export_key": key, "confirm_uai": "nope"},
        format="json",
    )
    assert wrong.status_code == 400
    assert "confirm_uai" in wrong.json()["error"]["fields"]
    assert Establishment.objects.filter(uai=school.uai).exists()
    done = api.post(
        f"/api/v1/establishments/{school.uai}/offboard/",
        {"export_key": key, "confirm_uai": school.uai},
        format="json",
    )
    assert done.status_code == 204
    assert not Establishment.objects.filter(uai=school.uai).exists()

    page = client_for(operator).post("/console/restore/", {"export_key": key, "subdomain": "offb-console"})
    assert page.status_code == 302
    assert Establishment.objects.get(uai=school.uai).domains.get().domain.startswith("offb-console.")
    again = api.post("/api/v1/provisioning/restore/", {"export_key": key}, format="json")
    assert again.status_code == 409  # the UAI is in use again
