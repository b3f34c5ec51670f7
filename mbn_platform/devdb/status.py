"""The locks serialising start and stop, the users of a server, its recorded state, and whether
it runs (and on which port)."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .paths import _USER_LOCKS, HOST, STATE_FILE, _Paths, _ServerUser


@contextlib.contextmanager
def _locked(paths: _Paths) -> Iterator[None]:
    """Exclusive lock serialising initdb/start/stop of one data directory across processes."""
    fd = os.open(paths.lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _register_user(paths: _Paths) -> None:
    key = str(paths.data_dir)
    if key in _USER_LOCKS:
        return
    fd = os.open(paths.users_file, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_SH)
    _USER_LOCKS[key] = fd


def _release_user(paths: _Paths) -> None:
    fd = _USER_LOCKS.pop(str(paths.data_dir), None)
    if fd is not None:
        os.close(fd)


def _has_users(paths: _Paths) -> bool:
    """Whether any process (this one included) holds a shared lock on the users file."""
    try:
        fd = os.open(paths.users_file, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


# --- state ---------------------------------------------------------------------------------------


@dataclass
class _State:
    port: int | None = None
    stop_when_unused: bool = False


def _read_state(paths: _Paths) -> _State:
    try:
        raw: object = json.loads(paths.state_file.read_text())
    except (OSError, ValueError):
        return _State()
    if not isinstance(raw, dict):
        return _State()
    port = raw.get("port")
    stop_when_unused = raw.get("stop_when_unused")
    return _State(
        port=port if isinstance(port, int) and 0 < port < 65536 else None,
        stop_when_unused=stop_when_unused is True,
    )


def _write_state(paths: _Paths, state: _State, user: _ServerUser | None) -> None:
    tmp = paths.state_file.with_name(f".{STATE_FILE}.tmp")
    tmp.write_text(json.dumps({"port": state.port, "stop_when_unused": state.stop_when_unused}) + "\n")
    if user:
        os.chown(tmp, user.uid, user.gid)
    tmp.replace(paths.state_file)


# --- server status -------------------------------------------------------------------------------


def _tcp_accepts(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=0.5):
            return True
    except OSError:
        return False


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the postmaster does
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def _new_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
    return port


def _is_zombie(pid: int) -> bool:
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat_line.rpartition(")")[2].split()[:1] in (["Z"], ["X"])


def _postmaster_alive(pid: int, data_dir: Path) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # alive, owned by another user
    if _is_zombie(pid):
        return False
    try:  # a recycled pid belongs to someone else than the data directory's owner
        return os.stat(f"/proc/{pid}").st_uid == data_dir.stat().st_uid
    except FileNotFoundError:
        return not os.path.isdir("/proc")
    except OSError:
        return True


def _processes_inside(data_dir: Path) -> bool:
    """Whether a live process has its working directory in ``data_dir`` (every postgres does)."""
    target = os.path.realpath(data_dir)
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if os.readlink(f"/proc/{entry.name}/cwd") == target:
                    return True
    return False


def _clear_stale_server(paths: _Paths) -> None:
    """Prepare a restart after the postmaster was killed (``kill -9``, OOM killer).

    Waits (briefly) for its orphaned backends to exit, which they do as soon as they notice the
    postmaster's death. PostgreSQL then ignores a ``postmaster.pid`` whose process is gone, but a
    zombie still "exists" for kill(pid, 0): in containers whose PID 1 reaps slowly or never, its
    lock files are removed here, once no live process works inside the data directory.
    """
    try:
        pid = int(paths.pid_file.read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        return
    if _postmaster_alive(pid, paths.data_dir):
        return
    deadline = time.monotonic() + 10
    while _processes_inside(paths.data_dir) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _is_zombie(pid) and not _processes_inside(paths.data_dir):
        paths.pid_file.unlink(missing_ok=True)
        for lock in paths.data_dir.glob(".s.PGSQL.*.lock"):
            lock.unlink(missing_ok=True)


def _running_port(paths: _Paths) -> int | None:
    """The port of a server running on this data dir and accepting connections, else None."""
    try:
        lines = paths.pid_file.read_text().splitlines()
        pid, port = int(lines[0]), int(lines[3])
    except (OSError, ValueError, IndexError):
        return None
    status = lines[7].strip() if len(lines) > 7 else ""
    if status != "ready" or not _postmaster_alive(pid, paths.data_dir) or not _tcp_accepts(port):
        return None
    return port
