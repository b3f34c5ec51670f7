"""The audit log as CSV: streamed (any number of entries, constant memory), the export itself
recorded (``audit.export``) before the first row is sent."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from mbn_platform.kernel.audit import audit_record
from shared_apps.audit.models import AuditEntry
from shared_apps.audit.selectors import AuditFilters

COLUMNS = (
    "created_at",
    "action",
    "establishment_uai",
    "actor_login",
    "acting_as_login",
    "target_type",
    "target_id",
    "ip_address",
    "request_id",
    "details",
)
CHUNK = 2000


class _Echo:
    """A file-like object whose write returns the line (csv.writer into a streaming response)."""

    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # A cell a spreadsheet would run as a formula is quoted (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def audit_csv_rows(entries: QuerySet[AuditEntry]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for entry in entries.iterator(chunk_size=CHUNK):
        yield writer.writerow(
            [
                _cell(value)
                for value in (
                    entry.created_at.isoformat(),
                    entry.action,
                    entry.establishment.uai if entry.establishment else (entry.details or {}).get("uai", ""),
                    entry.actor.login if entry.actor else "",
                    getattr(entry, "acting_as_login", "") or "",
                    entry.target_type,
                    entry.target_id,
                    entry.ip_address,
                    entry.request_id,
                    json.dumps(entry.details, ensure_ascii=False, sort_keys=True, default=str),
                )
            ]
        )


@transaction.atomic
def audit_export_record(
    *, actor: Any, establishment: Any | None, filters: AuditFilters, request: HttpRequest | None = None
) -> None:
    """An export of the log is itself an audited action."""
    audit_record(
        actor=actor,
        action="audit.export",
        establishment=establishment,
        details={"filters": filters.as_params(), "format": "csv"},
        request=request,
    )
