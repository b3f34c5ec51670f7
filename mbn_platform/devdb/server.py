"""Initialising, starting and stopping the cluster, and creating the ``mbn`` database."""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import stat
import subprocess
import time
from pathlib import Path

from .binaries import _bin_dir, _ensure_shared_root, _log_tail, _output, _pg
from .paths import (
    DATABASE,
    DEV_SETTINGS,
    HOST,
    MAX_SOCKET_PATH,
    SHARED_ROOT,
    START_TIMEOUT,
    SUPERUSER,
    DevDBError,
    _Paths,
    _server_user,
    _ServerUser,
    _url,
)
from .status import (
    _clear_stale_server,
    _has_users,
    _locked,
    _new_port,
    _port_free,
    _postmaster_alive,
    _read_state,
    _register_user,
    _running_port,
    _write_state,
)


def _check_reachable(path: Path, user: _ServerUser) -> None:
    """Fail early (with a useful message) when ``user`` cannot traverse to ``path``."""
    for ancestor in reversed(path.parents):
        info = ancestor.stat()
        if info.st_uid == user.uid:
            ok = bool(info.st_mode & stat.S_IXUSR)
        elif info.st_gid == user.gid:
            ok = bool(info.st_mode & stat.S_IXGRP)
        else:
            ok = bool(info.st_mode & stat.S_IXOTH)
        if not ok:
            raise DevDBError(
                f"The server runs as {user.name!r} (PostgreSQL refuses root) but cannot enter {ancestor}: "
                f"put the data directory under {SHARED_ROOT} (the default) or another traversable place."
            )


def _prepare_parent(paths: _Paths, user: _ServerUser | None) -> None:
    if user and SHARED_ROOT in paths.data_dir.parents:
        _ensure_shared_root()
    paths.data_dir.parent.mkdir(parents=True, exist_ok=True)
    if user:
        _check_reachable(paths.data_dir, user)


def _initdb(paths: _Paths, user: _ServerUser | None) -> None:
    data = paths.data_dir
    if data.exists() and (not data.is_dir() or any(data.iterdir())):
        raise DevDBError(
            f"{data} exists but is not a PostgreSQL data directory; remove it or set MBN_PGDATA."
        )
    # Initialise next to the target and rename: an interrupted initdb never leaves a half cluster.
    tmp = data.with_name(f".{data.name}.initdb")
    base = [
        "-D", str(tmp), "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--no-sync", "--no-instructions",
    ]  # fmt: skip
    result: subprocess.CompletedProcess[str] | None = None
    for locale in ("--locale=C.UTF-8", "--no-locale"):
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(mode=0o700)
        if user:
            os.chown(tmp, user.uid, user.gid)
        tmp.chmod(0o700)
        result = _pg("initdb", *base, locale, user=user)
        if result.returncode == 0:
            break
    if result is None or result.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        raise DevDBError(f"initdb failed for {data}:\n{_output(result) if result else ''}")
    with (tmp / "postgresql.conf").open("a") as conf:
        conf.write(DEV_SETTINGS)
    tmp.replace(data)  # also replaces an existing empty directory


def _socket_dir(paths: _Paths) -> str:
    """The data dir itself when the socket path fits in sun_path, else '' (TCP only)."""
    socket_path = paths.data_dir / ".s.PGSQL.65535.lock"
    return str(paths.data_dir) if len(str(socket_path)) < MAX_SOCKET_PATH else ""


def _start(paths: _Paths, user: _ServerUser | None, stop_when_unused: bool) -> int:
    state = _read_state(paths)
    port = state.port
    if port is None or not _port_free(port):
        port = _new_port()
    state.port, state.stop_when_unused = port, stop_when_unused
    _write_state(paths, state, user)  # before starting: an interrupted start is still cleaned up

    paths.log_file.touch(mode=0o640, exist_ok=True)
    if user:  # pg_ctl opens the log as the server user
        os.chown(paths.log_file, user.uid, user.gid)
    _clear_stale_server(paths)
    options = " ".join(shlex.quote(option) for option in ("-p", str(port), "-k", _socket_dir(paths)))
    result = _pg(
        "pg_ctl", "start", "-D", str(paths.data_dir), "-l", str(paths.log_file),
        "-w", "-t", str(START_TIMEOUT), "-o", options,
        user=user, timeout=START_TIMEOUT + 30, new_session=True,  # Ctrl-C must not reach the server
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while result.returncode == 0 and _running_port(paths) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    if result.returncode != 0 or _running_port(paths) != port:
        raise DevDBError(
            f"PostgreSQL failed to start (data directory {paths.data_dir}, port {port}):\n"
            f"{_output(result)}\n{_log_tail(paths)}"
        )
    return port


def _ensure_database(port: int, user: _ServerUser | None) -> None:
    connection = ["-h", HOST, "-p", str(port), "-U", SUPERUSER]
    query = f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'"  # noqa: S608 - constant name
    check = _pg("psql", "-X", "-A", "-t", *connection, "-d", "postgres", "-c", query, user=user, timeout=30)
    if check.returncode != 0:
        raise DevDBError(f"Cannot query the embedded PostgreSQL on port {port}:\n{_output(check)}")
    if check.stdout.strip() == "1":
        return
    created = _pg("createdb", *connection, DATABASE, user=user, timeout=60)
    if created.returncode != 0 and "already exists" not in created.stderr:
        raise DevDBError(f"createdb {DATABASE} failed:\n{_output(created)}")


def _stop_locked(paths: _Paths, user: _ServerUser | None) -> None:
    state = _read_state(paths)
    if state.stop_when_unused:
        state.stop_when_unused = False
        _write_state(paths, state, user)
    try:
        pid = int(paths.pid_file.read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        return
    if not _postmaster_alive(pid, paths.data_dir):
        return
    result = _pg(
        "pg_ctl", "stop", "-D", str(paths.data_dir), "-m", "fast", "-w", "-t", str(START_TIMEOUT),
        user=user, timeout=START_TIMEOUT + 30,
    )  # fmt: skip
    if result.returncode != 0 and _postmaster_alive(pid, paths.data_dir):
        raise DevDBError(
            f"Could not stop PostgreSQL ({paths.data_dir}):\n{_output(result)}\n{_log_tail(paths)}"
        )


def _ensure_running(paths: _Paths, *, stop_when_unused: bool | None) -> tuple[str, bool]:
    """ensure_running(); ``stop_when_unused`` True: started for run() (stop after the last user);
    False: make the server persistent; None: keep the current setting."""
    user = _server_user()
    _bin_dir()  # locate (and, as root, copy) the binaries outside the lock
    _prepare_parent(paths, user)
    with _locked(paths):
        started = False
        try:
            if not paths.initialised:
                _initdb(paths, user)
            port = _running_port(paths)
            if port is None:
                port = _start(paths, user, stop_when_unused=stop_when_unused is True)
                started = True
            elif stop_when_unused is False:
                state = _read_state(paths)
                if state.stop_when_unused:
                    state.stop_when_unused = False
                    _write_state(paths, state, user)
            _ensure_database(port, user)
            _register_user(paths)
        except BaseException:
            if started:
                with contextlib.suppress(DevDBError):
                    _stop_locked(paths, user)
            raise
    return _url(port), started


def _stop_if_unused(paths: _Paths) -> None:
    if not paths.initialised:
        return
    with _locked(paths):
        if _read_state(paths).stop_when_unused and not _has_users(paths):
            _stop_locked(paths, _server_user())
