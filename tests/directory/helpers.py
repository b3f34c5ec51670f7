"""Helpers of the directory tests: preview + apply, and a snapshot of what an import writes."""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django_tenants.utils import schema_context

from shared_apps.directory.import_run import directory_import_run
from shared_apps.directory.models import DirectoryImport, DirectoryRecord, ImportStatus
from shared_apps.directory.services import directory_import_preview
from shared_apps.identity.models import GuardianLink, Membership, User
from tenant_apps.school.models import Member, SchoolClass
from tenants.models import Establishment


def import_files(
    establishment: Establishment, files: list[tuple[str, bytes]], actor: Any = None
) -> DirectoryImport:
    """Preview then apply (the task's work, run here), as the task would."""
    preview = directory_import_preview(actor=actor, establishment=establishment, files=files)
    applied = directory_import_run(preview.pk)
    assert applied.status == ImportStatus.APPLIED, applied.errors
    return applied


def snapshot(establishment: Establishment) -> dict[str, Any]:
    """Every row an import of this establishment may write, timestamps included."""
    user_ids = set(Membership.objects.filter(establishment=establishment).values_list("user_id", flat=True))
    with schema_context(establishment.schema_name):
        members = sorted(
            Member.objects.values_list(
                "user_id", "display_name", "roles", "school_class__name", "is_active", "updated_at"
            )
        )
        classes = sorted(SchoolClass.objects.values_list("pk", "name", "level"))
    return {
        "users": sorted(
            User.objects.filter(pk__in=user_ids).values_list(
                "pk", "login", "first_name", "last_name", "email", "national_id", "password"
            )
        ),
        "memberships": sorted(
            Membership.objects.filter(establishment=establishment).values_list(
                "pk", "user_id", "role", "status", "updated_at"
            )
        ),
        "links": sorted(
            GuardianLink.objects.filter(child_id__in=user_ids).values_list(
                "pk", "guardian_id", "child_id", "responsibility_level", "can_act"
            )
        ),
        "records": sorted(
            DirectoryRecord.objects.filter(establishment=establishment).values_list(
                "pk", "user_id", "family", "source_id", "birth_date"
            )
        ),
        "members": members,
        "classes": classes,
    }


def student_user(establishment: Establishment, source_id: str) -> User:
    record = DirectoryRecord.objects.get(establishment=establishment, family="student", source_id=source_id)
    return User.objects.get(pk=record.user_id)


def member_row(establishment: Establishment, user_id: int) -> Member:
    with schema_context(establishment.schema_name):
        return Member.objects.select_related("school_class").get(user_id=user_id)


def directory_audit_purge(establishment: Establishment) -> None:
    """Remove the directory's audit entries of a session establishment, after a test that had to
    commit them (the worker tests). The log is append-only in the database itself (a trigger): the
    cleanup skips triggers for its own transaction only (the test database's superuser may)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "DELETE FROM audit_auditentry WHERE establishment_id = %s AND action LIKE 'directory.%%'",
            [establishment.pk],
        )


def directory_people_cleanup(school: Establishment, *, source_prefix: str, class_name: str) -> None:
    """Remove what a committed import of ``school`` made (a test whose worker is another process):
    the people whose exported id starts with ``source_prefix``, their class, the imports, the log."""
    user_ids = list(
        DirectoryRecord.objects.filter(establishment=school, source_id__startswith=source_prefix).values_list(
            "user_id", flat=True
        )
    )
    with schema_context(school.schema_name):
        Member.objects.filter(user_id__in=user_ids).delete()
        SchoolClass.objects.filter(name=class_name).delete()
    connection.set_schema_to_public()
    User.objects.filter(pk__in=user_ids).delete()
    DirectoryImport.objects.filter(establishment=school).delete()
    directory_audit_purge(school)  # the log is append-only, even to raw SQL
