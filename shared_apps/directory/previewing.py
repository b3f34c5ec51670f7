"""Previewing a directory: checked against the establishment, planned, kept (``DirectoryImport``),
or refused with every problem at once. What an upload (``services.py``) and an académie's feed
run (``aaf/runs.py``) share."""

from __future__ import annotations

import hashlib
import json
from typing import Any, NoReturn

from django.db import transaction
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor, actor_id
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import ValidationFailed
from shared_apps.directory.models import DirectoryImport, ImportStatus
from shared_apps.directory.parsers import Directory, RowError
from shared_apps.directory.parsers.model import VALUE
from shared_apps.directory.planning import plan_build
from tenants.models import Establishment


class DirectoryFilesInvalid(ValidationFailed):
    """The files cannot be imported; ``rows`` lists each problem with its file and line."""

    code = ErrorCode.DIRECTORY_INVALID

    def __init__(self, *, rows: list[dict[str, Any]], import_id: int | None = None) -> None:
        fields: dict[str, list[str]] = {}
        for row in rows:
            where = f"{row['file']}:{row['line']}" if row.get("line") else str(row.get("file") or "files")
            fields.setdefault(where, []).append(
                f"{row['field']}: {row['message']}" if row["field"] else row["message"]
            )
        super().__init__(
            _("The files cannot be imported: %(count)d problem(s) to correct; nothing was changed.")
            % {"count": len(rows)},
            fields=fields,
        )
        self.rows = rows
        self.import_id = import_id

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "rows": self.rows, "import_id": self.import_id}


def _whole_checks(directory: Directory, establishment: Establishment) -> None:
    """What only the whole import can tell: its establishment, and that it lists people."""
    uais = set(directory.uais)
    if not uais:
        directory.errors.append(
            RowError("", None, "uai", _("No file names the establishment (add the establishment file)."))
        )
    for uai in sorted(uais - {establishment.uai}):
        directory.errors.append(
            RowError(
                "",
                None,
                "uai",
                _("These files are of establishment %(uai)s, not of %(ours)s.")
                % {"uai": uai, "ours": establishment.uai},
            )
        )
    if not directory.families and not directory.has_structure:
        directory.errors.append(RowError("", None, "files", _("No file of students, guardians or staff.")))


def directory_preview(
    *, actor: Actor | None, establishment: Establishment, directory: Directory, feed_run_id: int | None = None
) -> DirectoryImport:
    """Check a parsed directory against the establishment and plan it (the preview of an upload,
    or of one establishment of an académie's feed run)."""
    _whole_checks(directory, establishment)
    formats = sorted({f["format"] for f in directory.files})
    refusal = _Refusal(actor, establishment, directory, formats, feed_run_id)
    if directory.errors:
        errors = list(directory.errors)
        if directory.assignments and not any(e.field == "uai" for e in errors):
            # Also what only the database can tell (unknown teacher ids, classes…): all at once.
            errors += plan_build(establishment=establishment, directory=directory).errors
        refusal.refuse(errors)
    canonical = json.dumps(directory.canonical(), sort_keys=True, separators=(",", ":"))
    plan = plan_build(establishment=establishment, directory=directory)
    if plan.errors:
        refusal.refuse(plan.errors)
    skipped = [s.as_dict() for s in directory.skipped]
    counts = {**plan.counts(), **directory.skipped_counts()}
    with transaction.atomic():
        directory_import = DirectoryImport.objects.create(
            establishment=establishment,
            uploaded_by_id=actor_id(actor),
            feed_run_id=feed_run_id,
            status=ImportStatus.PREVIEWED,
            formats=formats,
            files=directory.files,
            families=directory.families,
            counts=counts,
            samples=plan.samples(),
            skipped=skipped,
            progress_total=plan.total,
            content=directory.to_json(),
            content_hash=hashlib.sha256(canonical.encode()).hexdigest(),
        )
        audit_record(
            actor=actor,
            action="directory.import_previewed",
            establishment=establishment,
            target=directory_import,
            details={"files": [f["name"] for f in directory.files], "counts": directory_import.counts},
        )
    return directory_import


class _Refusal:
    def __init__(
        self,
        actor: Actor | None,
        establishment: Establishment,
        directory: Directory,
        formats: list[str],
        feed_run_id: int | None,
    ) -> None:
        self.actor, self.establishment, self.directory = actor, establishment, directory
        self.formats, self.feed_run_id = formats, feed_run_id

    def refuse(self, errors: list[RowError]) -> NoReturn:
        """Refused: every problem at once, the rows that would have been skipped included."""
        skipped = [s.as_error() for s in self.directory.skipped if s.what != VALUE]
        rows = [e.as_dict() for e in errors] + [s.as_dict() for s in skipped if s not in errors]
        refused = DirectoryImport.objects.create(
            establishment=self.establishment,
            uploaded_by_id=actor_id(self.actor),
            feed_run_id=self.feed_run_id,
            status=ImportStatus.FAILED,
            formats=self.formats,
            files=self.directory.files,
            errors=rows,
        )
        raise DirectoryFilesInvalid(rows=rows, import_id=refused.pk)
