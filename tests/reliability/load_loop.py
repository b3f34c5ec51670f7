"""A steady stream of signed-in requests from a few client threads, each answer recorded; a
connection that fails is retried once, as browsers and the mobile app do."""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Answers:
    statuses: list[int] = field(default_factory=list)  # 0: the connection failed
    retried: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, status: int) -> int:
        with self.lock:
            return self.statuses.count(status)

    def since(self, mark: int) -> list[int]:
        with self.lock:
            return self.statuses[mark:]


@contextmanager
def load_loop(port: int, *, host: str, path: str, cookie: str, threads: int = 4) -> Iterator[Answers]:
    answers = Answers()
    stop = threading.Event()

    def once() -> int:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request("GET", path, headers={"Host": host, "Cookie": cookie})
            response = conn.getresponse()
            response.read()
            return response.status
        except OSError:
            return 0
        finally:
            conn.close()

    def client() -> None:
        while not stop.is_set():
            status = once()
            if status == 0:
                with answers.lock:
                    answers.retried += 1
                status = once()
            with answers.lock:
                answers.statuses.append(status)

    pool = [threading.Thread(target=client, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    try:
        yield answers
    finally:
        stop.set()
        for thread in pool:
            thread.join(timeout=60)


def gunicorn_workers(port: int) -> list[int]:
    """The pids of the gunicorn workers bound to ``port`` (children of its master)."""
    bound = f"127.0.0.1:{port}".encode()
    found: dict[int, int] = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if bound not in (proc / "cmdline").read_bytes():
                continue
            ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        found[int(proc.name)] = ppid
    return sorted(pid for pid, ppid in found.items() if ppid in found)


def wait_for(answers: Answers, *, more: int, seconds: float = 60) -> None:
    """Until ``more`` answers beyond those already in (poll, with a deadline)."""
    target = len(answers.since(0)) + more
    deadline = time.monotonic() + seconds
    while len(answers.since(0)) < target:
        if time.monotonic() > deadline:
            raise AssertionError("the load stopped")
        time.sleep(0.02)


@contextmanager
def signed_in_teacher(login: str) -> Iterator[tuple[str, str]]:
    """A teacher of the session's first school, signed in (committed: a server process reads the
    session): (the school's host, the session cookie). Removed at the end."""
    from django.conf import settings
    from django.db import connection

    from shared_apps.identity.models import User
    from shared_apps.identity.roles import Role
    from shared_apps.identity.services import membership_grant
    from tenants.models import Establishment
    from tests.conftest import SESSION_SCHOOLS, client_for, host_of

    school = Establishment.objects.get(uai=SESSION_SCHOOLS["school_a"][0])
    teacher = User.objects.create_user(login, first_name="Léon", last_name="Charge")
    membership_grant(actor=None, user=teacher, establishment=school, role=Role.TEACHER)
    session = client_for(teacher, school).cookies[settings.SESSION_COOKIE_NAME].value
    try:
        yield host_of(school), f"{settings.SESSION_COOKIE_NAME}={session}"
    finally:
        connection.close()  # a drill may have terminated it: the next query reconnects
        connection.set_schema_to_public()
        User.objects.filter(pk=teacher.pk).delete()
