"""A real Celery worker of its own, sending its e-mails to a mail catcher (tests and benchmark)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from shared_apps.notifications.mailcatcher import MailCatcher

QUIET = ("--without-heartbeat", "--without-gossip", "--without-mingle")


@contextlib.contextmanager
def smtp_worker(catcher: MailCatcher) -> Iterator[str]:
    """Start a worker on a queue of its own (yielded), against the test database; stop it after."""
    queue = f"mbn-notify-{uuid.uuid4().hex[:8]}"
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_QUEUE": queue,
        "MBN_ENV": "test",
        "MBN_STATE_DIR": str(settings.CELERY_STATE_DIR),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": catcher.host,
        "EMAIL_PORT": str(catcher.port),
        "EMAIL_USE_TLS": "false",
        "NOTIFICATIONS_QUIET_HOURS": "00:00-00:00",
    }
    celery = str(Path(sys.executable).with_name("celery"))
    worker = subprocess.Popen(
        [
            celery,
            "-A",
            "mbn_platform.config",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "-Q",
            queue,
            *QUIET,
        ],
        env=env,
    )
    try:
        yield queue
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
