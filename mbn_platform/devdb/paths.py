"""Where the embedded PostgreSQL lives: constants, the data directory and its lock files, the
unprivileged server user when we are root."""

from __future__ import annotations

import hashlib
import os
import pwd
from dataclasses import dataclass
from pathlib import Path
from typing import Final

CHECKOUT_ROOT: Final = Path(__file__).resolve().parent.parent.parent
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
