"""Platform-level tasks."""

from __future__ import annotations

from celery import shared_task

from mbn_platform.kernel.db import tenant_db


@shared_task(name="mbn.platform.whereami")
def whereami() -> dict[str, object]:
    """Report the schema the task runs in and how many members it sees there.

    Used by operators (and the tests) to check that tasks run in the schema of the
    establishment that enqueued them.
    """
    from tenant_apps.school.selectors import member_count

    schema = tenant_db().schema_name
    return {"schema": schema, "members": member_count() if schema != "public" else None}
