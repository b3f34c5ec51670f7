"""Offboarding and restoring: an older export migrated when restored, another school's or an outdated
export refused, the commands, the API and console, a newer pg_dump's lines. See test_offboarding.py."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import Storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from mbn_platform.kernel.errors import Conflict
from tenant_apps.school.models import SchoolClass
from tenants.models import Establishment
from tenants.offboarding import establishment_export, establishment_offboard, establishment_restore
from tenants.offboarding.archives import ArchiveInvalid
from tenants.offboarding.schema_dumps import dump_rename
from tenants.schemas import schema_pending_migrations, template_schema_name
from tests.provisioning.offboarding_world import World, schema_shape


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
    assert schema_shape(restored.schema_name) == schema_shape(template_schema_name())


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
