"""Real Celery workers the drills start, kill (SIGKILL: no warm shutdown, no ack) and restart, and
polling with a deadline (no fixed sleeps)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TypeVar

import psycopg
from django.conf import settings

T = TypeVar("T")


def until(condition: Callable[[], T], *, seconds: float = 60, what: str = "the condition") -> T:
    """Poll ``condition`` until it returns something true; its value. Fails after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        found = condition()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """``celery worker`` on its own queue, its output appended to ``log`` (None: this process's)."""

    def __init__(self, queue: str, log: Path | None = None, env: Mapping[str, str] | None = None) -> None:
        self.queue, self.log, self.env = queue, log, dict(env or {})
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Worker:
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "CELERY_QUEUE": self.queue,
            "MBN_ENV": "test",
            "MBN_STATE_DIR": str(settings.CELERY_STATE_DIR),
            "PYTHONUNBUFFERED": "1",
            **self.env,
        }
        celery = str(Path(sys.executable).with_name("celery"))
        command = [celery, "-A", "mbn_platform.config", "worker", "--pool=solo", "--loglevel=WARNING"]
        command += ["-Q", self.queue, "--without-heartbeat", "--without-gossip", "--without-mingle"]
        with contextlib.ExitStack() as stack:
            out = stack.enter_context(self.log.open("ab")) if self.log else None
            self.process = subprocess.Popen(
                command, env=env, stdout=out, stderr=subprocess.STDOUT if out else None
            )
        return self

    def kill(self) -> None:
        """SIGKILL: the task in hand is neither finished nor acknowledged."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@contextlib.contextmanager
def workers(queue: str, log: Path, env: Mapping[str, str] | None = None) -> Iterator[Callable[[], Worker]]:
    """Start as many workers as asked (one after the other); all stopped at the end."""
    started: list[Worker] = []

    def start() -> Worker:
        started.append(Worker(queue, log, env).start())
        return started[-1]

    try:
        yield start
    finally:
        for worker in started:
            worker.stop()


def backend_waiting_on_a_lock() -> bool:
    """A backend of the test database (a worker's) is blocked on a lock."""
    with psycopg.connect(database_url(), autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'"
        ).fetchone()
    return bool(row and row[0])
