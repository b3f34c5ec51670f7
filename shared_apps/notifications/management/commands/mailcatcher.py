"""``mbn mailcatcher``: the local SMTP server of the demo (every e-mail the platform sends is kept
under ``MAIL_CATCHER_DIR`` and shown to region operators at ``/notifications/caught-mail/``)."""

from __future__ import annotations

import contextlib
import signal
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from shared_apps.notifications.mailcatcher import MailCatcher


class Command(BaseCommand):
    help = "Run a local SMTP server that keeps every e-mail as a file (demo and tests)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=settings.EMAIL_PORT)
        parser.add_argument("--host", default="127.0.0.1")
        folder = settings.MAIL_CATCHER_DIR or str(settings.CELERY_STATE_DIR / "mail")
        parser.add_argument("--dir", default=folder)
        parser.add_argument("--refuse", action="append", default=[], help="an address to answer 550")

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        catcher = MailCatcher(
            Path(options["dir"]), host=options["host"], port=options["port"], refused=options["refuse"]
        )
        with catcher, contextlib.suppress(KeyboardInterrupt):
            self.stdout.write(f"catching mail on {options['host']}:{options['port']} into {options['dir']}")
            stop.wait()
