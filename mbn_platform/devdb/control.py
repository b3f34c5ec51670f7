"""The public API: ensure a server runs, stop it, find it, run a command with it."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from .paths import _USER_LOCKS, _paths, _server_user, _url
from .server import _ensure_running, _stop_if_unused, _stop_locked
from .status import _locked, _release_user, _running_port


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
