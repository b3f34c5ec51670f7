"""A real SMTP server (the platform's mail catcher, aiosmtpd) for the notification tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from shared_apps.notifications.mailcatcher import MailCatcher

REFUSED = "refused@example.org"


@pytest.fixture(autouse=True)
def _platform_quiet_hours(settings: Any) -> None:
    """The platform's real default quiet hours (tests elsewhere have none)."""
    settings.NOTIFICATIONS_QUIET_HOURS = ("20:00", "07:00")


@pytest.fixture
def smtp(settings: Any, tmp_path: Path) -> Iterator[MailCatcher]:
    """Mail goes by SMTP to a local catcher; ``smtp.messages()`` lists what it received."""
    with MailCatcher(tmp_path / "mail", refused=[REFUSED]) as catcher:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = catcher.host
        settings.EMAIL_PORT = catcher.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.MAIL_CATCHER_DIR = str(catcher.folder)
        yield catcher
