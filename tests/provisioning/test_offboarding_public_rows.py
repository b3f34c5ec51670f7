"""Offboard -> restore keeps every public row that belongs to the establishment (support requests
and their replies and screenshot, impersonation history, directory imports), and its audit entries
stay findable by UAI, by operators and on the restored school's own log, across both steps."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.storage import Storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.utils import timezone
from django_tenants.utils import schema_context

from shared_apps.audit.models import AuditEntry
from shared_apps.audit.selectors import AuditFilters, audit_entries
from shared_apps.directory.models import DirectoryImport, ImportStatus
from shared_apps.identity.roles import Role
from shared_apps.support.models import Impersonation, ImpersonationEnd, SupportReply, SupportRequest
from shared_apps.support.services import support_request_create
from tenants.models import Establishment
from tenants.offboarding import establishment_export, establishment_offboard, establishment_restore
from tests.provisioning.offboarding_world import World

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


def _public_world(world: World, school: Establishment) -> dict[str, object]:
    """Two support requests (one with a screenshot and a reply), an impersonation, directory imports."""
    student, agent = world.person(school, Role.STUDENT), world.person()
    with_screenshot = support_request_create(
        actor=student,
        establishment=school,
        subject="Timetable missing",
        description="My timetable is empty.",
        screenshot=SimpleUploadedFile("shot.png", PNG, content_type="image/png"),
    )
    support_request_create(actor=student, establishment=school, subject="Sign-in", description="Locked out.")
    SupportReply.objects.create(
        request=with_screenshot, author=agent, body="Looking into it.", from_support=True
    )
    now = timezone.now()
    Impersonation.objects.create(
        agent=agent,
        target=student,
        establishment=school,
        support_request=with_screenshot,
        reason="Checking the timetable.",
        started_at=now - timedelta(minutes=20),
        expires_at=now - timedelta(minutes=5),
        ended_at=now - timedelta(minutes=10),
        ended_reason=ImpersonationEnd.STOPPED,
    )
    for n in range(3):
        DirectoryImport.objects.create(
            establishment=school, status=ImportStatus.APPLIED, counts={"created": n}, content_hash=f"h{n}"
        )
    return {"screenshot": with_screenshot.screenshot.name, "student": student, "agent": agent}


def _rows(model: type[Model], establishment: Establishment) -> list[tuple[object, ...]]:
    fields = [f.attname for f in model._meta.concrete_fields if f.attname not in ("id", "establishment_id")]
    rows = model._default_manager.filter(establishment=establishment).order_by("pk")
    return [tuple(row) for row in rows.values_list(*fields)]


def test_offboard_then_restore_keeps_the_establishments_public_rows_and_files(
    world: World, fs_storage: Storage
) -> None:
    school = world.school()
    made = _public_world(world, school)
    before = {model: _rows(model, school) for model in (SupportRequest, Impersonation, DirectoryImport)}
    replies = list(SupportReply.objects.filter(request__establishment=school).values_list("body", flat=True))
    assert [len(rows) for rows in before.values()] == [2, 1, 3]

    export = establishment_export(actor=None, establishment=school, storage=fs_storage)
    assert export.manifest.public_rows["support.supportreply"] == 1
    establishment_offboard(
        actor=None, establishment=school, confirm_uai=school.uai, export_key=export.key, storage=fs_storage
    )
    assert not SupportRequest.objects.filter(subject="Timetable missing", requester=made["student"]).exists()

    restored = establishment_restore(actor=None, export_key=export.key, storage=fs_storage)

    old, new = school.schema_name, restored.schema_name
    for model, rows in before.items():
        now = _rows(model, restored)
        if model is SupportRequest:  # the screenshot moved with the files, to the new schema's prefix
            rows = [tuple(str(v).replace(old, new) if isinstance(v, str) else v for v in row) for row in rows]
        assert now == rows, model
    assert list(
        SupportReply.objects.filter(request__establishment=restored).values_list("body", flat=True)
    ) == (replies)
    impersonation = Impersonation.objects.get(establishment=restored)
    assert (
        impersonation.support_request is not None and impersonation.support_request.establishment == restored
    )
    # The screenshot has its row again, and opens.
    screenshot = SupportRequest.objects.get(establishment=restored, subject="Timetable missing").screenshot
    assert screenshot.name == str(made["screenshot"]).replace(old, new)
    with schema_context(new), fs_storage.open(screenshot.name, "rb") as handle:
        assert handle.read() == PNG
    entry = AuditEntry.objects.get(action="establishment.restore", establishment_id=restored.pk)
    assert entry.details["public_rows_restored"]["directory.directoryimport"] == 3
    assert entry.details["public_rows_left_out"] == {}


def test_audit_entries_stay_findable_by_uai_across_offboarding_and_restore(
    world: World, fs_storage: Storage
) -> None:
    school = world.school()
    _public_world(world, school)
    mine = set(AuditEntry.objects.filter(establishment_id=school.pk).values_list("pk", flat=True))
    assert len(mine) >= 4  # memberships granted, support requests opened

    export = establishment_export(actor=None, establishment=school, storage=fs_storage)
    establishment_offboard(
        actor=None, establishment=school, confirm_uai=school.uai, export_key=export.key, storage=fs_storage
    )
    # Offboarded: an operator filtering by its UAI finds all of them.
    by_uai = set(
        audit_entries(establishment=None, filters=AuditFilters(uai=school.uai)).values_list("pk", flat=True)
    )
    assert mine <= by_uai

    restored = establishment_restore(actor=None, export_key=export.key, storage=fs_storage)
    by_uai = set(
        audit_entries(establishment=None, filters=AuditFilters(uai=school.uai)).values_list("pk", flat=True)
    )
    assert mine <= by_uai
    assert AuditEntry.objects.get(action="establishment.restore", establishment_id=restored.pk).pk in by_uai
    # The restored school's own log holds its history too.
    own = set(audit_entries(establishment=restored, filters=AuditFilters()).values_list("pk", flat=True))
    assert mine <= own
    # Another school's log does not.
    other = world.school()
    assert not mine & set(
        audit_entries(establishment=other, filters=AuditFilters()).values_list("pk", flat=True)
    )
