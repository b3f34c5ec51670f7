"""Timetable imports: read and preview a file (nothing written to the timetable), then apply
the preview in one transaction (idempotent: the same file again changes nothing). Each leaves
one audit entry (``timetable.import_previewed``, ``timetable.import_applied`` with its counts
and the lessons created, changed, ended and deleted)."""

from __future__ import annotations

import datetime
import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.actors import Actor, actor_id
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.db import schema_establishment, tenant_db
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, ValidationFailed
from tenant_apps.structure.models import SchoolYear
from tenant_apps.timetable.imports.apply import plan_apply
from tenant_apps.timetable.imports.plan import plan_summary, timetable_plan
from tenant_apps.timetable.imports.read import timetable_file_read
from tenant_apps.timetable.imports.rows import ImportRow
from tenant_apps.timetable.models import ImportStatus, TimetableImport
from tenants.models import Establishment


@transaction.atomic
def timetable_import_preview(
    *,
    actor: Actor | None,
    year: SchoolYear,
    name: str,
    data: bytes,
    from_day: datetime.date | None = None,
) -> TimetableImport:
    """Read a timetable file and record what applying it would change from ``from_day`` (by
    default today, or the first day of a year not begun). A file with errors is recorded as
    refused, with its errors by line; nothing of the timetable is written either way."""
    today = timezone.localdate()
    from_day = from_day or max(today, year.start)
    if not (year.start <= from_day <= year.end):
        raise ValidationFailed(fields={"from_day": [str(_("Give a day of the school year."))]})
    parsed = timetable_file_read(data)
    imp = TimetableImport(
        year=year,
        source_name=(name or "timetable")[:200],
        source_format=parsed.source_format,
        digest=hashlib.sha256(data).hexdigest(),
        from_day=from_day,
        created_by_id=actor_id(actor),
        errors=[e.to_json() for e in parsed.errors],
    )
    here = (
        Establishment.objects.filter(schema_name=tenant_db().schema_name)
        .values_list("uai", flat=True)
        .first()
    )
    if parsed.uai and here and parsed.uai != here:
        imp.errors.append(
            {
                "line": None,
                "field": "UAI",
                "message": str(
                    _("This file is the timetable of another establishment (%(uai)s).") % {"uai": parsed.uai}
                ),
            }
        )
    if imp.errors:
        imp.status = ImportStatus.REFUSED
    else:
        imp.rows = [row.to_json() for row in parsed.rows]
        imp.plan = plan_summary(timetable_plan(year=year, rows=parsed.rows, from_day=from_day))
    imp.save()
    audit_record(
        actor=actor,
        action="timetable.import_previewed",
        establishment=schema_establishment(),
        target=imp,
        details={
            "file": imp.source_name,
            "format": imp.source_format,
            "errors": len(imp.errors),
            **imp.plan.get("counts", {}),
        },
    )
    return imp


@transaction.atomic
def timetable_import_apply(*, actor: Actor | None, imp: TimetableImport) -> TimetableImport:
    """Apply a previewed import in one transaction. Refused (409) when the file had errors, was
    applied already, or the timetable changed since the preview (preview it again)."""
    imp = TimetableImport.objects.select_for_update().select_related("year").get(pk=imp.pk)
    if imp.status == ImportStatus.REFUSED:
        raise Conflict(
            _("This file has errors: correct them and import it again."), code=ErrorCode.IMPORT_REFUSED
        )
    if imp.status == ImportStatus.APPLIED:
        raise Conflict(_("This import was applied already."), code=ErrorCode.IMPORT_APPLIED)
    # One timetable write at a time per year (as the lesson services do).
    SchoolYear.objects.select_for_update().filter(pk=imp.year_id).first()
    rows = [ImportRow.from_json(r) for r in imp.rows]
    plan = timetable_plan(year=imp.year, rows=rows, from_day=imp.from_day)
    if plan.counts() != imp.plan.get("counts"):
        raise Conflict(
            _("The timetable changed since this preview: import the file again to see what it would change."),
            code=ErrorCode.IMPORT_STALE,
        )
    applied = plan_apply(actor=actor, plan=plan, year=imp.year, from_day=imp.from_day)
    imp.status, imp.applied_at = ImportStatus.APPLIED, timezone.now()
    imp.save(update_fields=["status", "applied_at"])
    audit_record(
        actor=actor,
        action="timetable.import_applied",
        establishment=schema_establishment(),
        target=imp,
        details={
            "file": imp.source_name,
            "from_day": imp.from_day.isoformat(),
            **plan.counts(),
            "lessons_created": applied.created,
            "lessons_changed": applied.changed,
            "lessons_ended": applied.ended,
            "lessons_deleted": applied.deleted,
        },
    )
    return imp
