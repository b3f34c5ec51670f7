"""Structured (JSON) logs carrying the request id, the establishment's schema and the user id."""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

request_id_var: ContextVar[str] = ContextVar("mbn_request_id", default="-")
user_id_var: ContextVar[str] = ContextVar("mbn_user_id", default="-")


def current_schema() -> str:
    """The schema the default database connection is set to, without opening a connection."""
    try:
        from django.db import connection

        return str(getattr(connection, "schema_name", "-"))
    except Exception:  # settings not configured yet (early start-up)
        return "-"


class ContextFilter(logging.Filter):
    """Adds request_id, schema and user_id to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.schema = current_schema()
        record.user_id = user_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "schema": getattr(record, "schema", "-"),
            "user_id": getattr(record, "user_id", "-"),
        }
        if record.exc_info:
            payload["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False)
