"""Settings of the document libraries (tenant_apps/documents), read by mbn_platform/config/settings.py
as ``DOCUMENTS_LIMITS``: the storage quota of each establishment (``establishment_bytes``), the
quota of each person's own documents (``personal_bytes``), the largest file one may upload
(``file_bytes``)."""

from __future__ import annotations

from typing import Any

GB = 1024**3
MB = 1024**2


def documents_limits(env: Any) -> dict[str, int]:
    return {
        "establishment_bytes": env.int("MBN_DOCUMENTS_ESTABLISHMENT_QUOTA_GB", default=20) * GB,
        "personal_bytes": env.int("MBN_DOCUMENTS_PERSONAL_QUOTA_MB", default=500) * MB,
        "file_bytes": env.int("MBN_DOCUMENTS_MAX_FILE_MB", default=50) * MB,
    }
