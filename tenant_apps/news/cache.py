"""The news generation of the current establishment (``mbn_platform.kernel.generations``): what
the home page's news section is cached under, bumped by every change of what readers see
(publication, withdrawal, change, expiry, deletion)."""

from __future__ import annotations

from mbn_platform.kernel.db import tenant_db
from mbn_platform.kernel.generations import generation_bump


def news_scope() -> str:
    return f"news:{tenant_db().schema_name}"


def news_changed() -> None:
    generation_bump(news_scope())
