"""How long what must not be kept is kept: days after which the daily purge
(``shared_apps/privacy/retention.py``) removes it. Each can be set from the environment; the
durations and their legal bases are listed in docs/privacy.md."""

from __future__ import annotations

from typing import Any


def retention_days(env: Any) -> dict[str, int]:
    return {
        # Accounts of students and guardians with no role left in any establishment.
        "departed_families": env.int("RETENTION_DEPARTED_FAMILIES_DAYS", default=90),
        # Accounts of staff with no role left in any establishment.
        "departed_staff": env.int("RETENTION_DEPARTED_STAFF_DAYS", default=365),
        # Support screenshots, after the request is resolved.
        "support_screenshots": env.int("RETENTION_SUPPORT_SCREENSHOTS_DAYS", default=30),
        # Resolved support requests (with the name and address of those who wrote without an account).
        "resolved_support_requests": env.int("RETENTION_SUPPORT_REQUESTS_DAYS", default=365),
        # Signed-in sessions, after they ended; failed sign-ins.
        "ended_sessions": env.int("RETENTION_ENDED_SESSIONS_DAYS", default=90),
        "sign_in_failures": env.int("RETENTION_SIGN_IN_FAILURES_DAYS", default=30),
        # Right-of-access archives, once produced.
        "access_exports": env.int("RETENTION_ACCESS_EXPORTS_DAYS", default=7),
    }
