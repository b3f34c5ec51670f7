"""The offboarding tests' world: establishments and people made with committed data (pg_dump and
psql run in other processes), removed at the end; a school filled with people, classes and files;
reading a schema's rows and shape."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import connection
from django_tenants.utils import schema_context
from psycopg import sql

from mbn_platform.kernel.storage import EstablishmentS3Storage
from shared_apps.identity.models import Membership, User
from shared_apps.identity.roles import Role
from shared_apps.identity.services import membership_end, membership_grant
from tenant_apps.school.models import Member, SchoolClass
from tenants.models import Establishment, EstablishmentKind
from tenants.provisioning.jobs import establishment_create
from tenants.schemas import schema_catalog
from tenants.uai import uai_check_letter
from tests.conftest import S3_DOCUMENTS_BUCKET

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


def s3_storage(endpoint: str) -> EstablishmentS3Storage:
    return EstablishmentS3Storage(
        bucket_name=S3_DOCUMENTS_BUCKET,
        endpoint_url=endpoint,
        region_name="eu-west-3",
        access_key="test",
        secret_key="test",
        file_overwrite=False,
    )


def schema_rows(schema: str) -> dict[str, list[str]]:
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


def schema_shape(schema: str) -> set[tuple[str, str, str, str]]:
    return {(e.kind, e.table, e.name, e.definition) for e in schema_catalog(schema)}


def memberships_of(establishment: Establishment) -> set[tuple[int, str, str]]:
    return set(
        Membership.objects.filter(establishment=establishment).values_list("user_id", "role", "status")
    )


def school_fill(world: World, school: Establishment, storage: Storage) -> tuple[User, dict[str, bytes]]:
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


def tenant_schemas() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_%%'")
        return {name for (name,) in cursor.fetchall()}
