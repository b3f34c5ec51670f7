"""`mbn demo` serves the three demo schools and the portal, and stops cleanly on Ctrl-C."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def demo_database() -> Iterator[str]:
    db = settings.DATABASES["default"]
    name = f"test_mbn_demo_{uuid.uuid4().hex[:8]}"
    admin = f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT']}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _get(port: int, host: str, path: str = "/") -> tuple[int, str]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": f"{host}:{port}"})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def test_the_demo_serves_each_school_on_its_subdomain_and_stops_on_ctrl_c(demo_database, tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": demo_database,
        "MBN_ENV": "development",
        "MBN_STATE_DIR": str(tmp_path),
        "CELERY_QUEUE": f"mbn-demo-test-{uuid.uuid4().hex[:6]}",
    }
    mbn = str(Path(sys.executable).with_name("mbn"))
    demo = subprocess.Popen(
        [mbn, "demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(iter(demo.stdout.readline, "")), daemon=True)  # type: ignore[union-attr]
    reader.start()
    try:
        deadline = time.monotonic() + 240
        status = 0
        while time.monotonic() < deadline and demo.poll() is None:
            try:
                status, _body = _get(port, "mbn.localhost", "/healthz")
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        assert status == 200, "".join(output)
        printed = "".join(output)
        assert "http://pasteur.mbn.localhost:" in printed and "Demo seeded in" in printed
        for login in ("claire.martin", "eleve.martin.lea", "sophie.lang.kleber", "nadia.benali.pasteur"):
            assert login in printed
        # Celery beat runs beside the worker (impersonations end at their limit, nightly jobs):
        # its schedule file appears in the state directory.
        while time.monotonic() < deadline and not list(tmp_path.glob("celerybeat-schedule*")):
            time.sleep(0.2)
        assert list(tmp_path.glob("celerybeat-schedule*")), "".join(output)

        status, body = _get(port, "pasteur.mbn.localhost")
        assert status == 200
        assert "Collège Louis Pasteur" in body
        status, body = _get(port, "kleber.mbn.localhost")
        assert status == 200 and "Lycée Kléber" in body
        status, body = _get(port, "mbn.localhost")
        assert status == 200 and "portail" in body.lower()
        assert _get(port, "nowhere.mbn.localhost")[0] == 404
        # Every URL printed answers: the ones the dev server prints lead to the portal.
        for url in set(re.findall(r"http://[a-z0-9.-]+:\d+/[a-z/]*", printed)):
            host, path = url.removeprefix("http://").split("/", 1)
            status, _body = _get(port, host.split(":")[0], "/" + path)
            assert status in (200, 302), url
        for loopback in ("127.0.0.1", "localhost"):
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/", headers={"Host": f"{loopback}:{port}"}, method="GET"
            )
            with pytest.raises(urllib.error.HTTPError) as redirect:
                urllib.request.build_opener(NoRedirect).open(request, timeout=10)
            assert redirect.value.code == 302
            assert redirect.value.headers["Location"] == f"http://mbn.localhost:{port}/"
    finally:
        demo.send_signal(signal.SIGINT)
        try:
            code = demo.wait(timeout=60)
        except subprocess.TimeoutExpired:
            demo.kill()
            raise
        reader.join(timeout=5)
    assert code == 0, "".join(output)
    assert "MBN demo stopped." in "".join(output)
