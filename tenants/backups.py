"""The whole platform backed up and restored: the database and the files, checked per establishment.

``backup_create`` writes a backup folder: ``database.dump`` (``pg_dump --format=custom`` of the
whole database), ``files/<schema>/…`` (every stored file under each establishment's prefix) and
``manifest.json`` — per establishment (UAI, schema) and for the public schema, each table's row
count and content fingerprint, taken in the very snapshot the dump is made from, and each file's
size and sha256. ``backup_restore`` loads it into an empty database and an empty storage, then
``backup_verify`` recomputes every figure there and compares: the drill (``mbn backup_drill``)
does all three against a scratch database and folder and says, per establishment, what matched.

In production, RDS point-in-time recovery is the database's backup (docs/operations.md); this is
the drill that proves a logical copy restores completely, and the way to move the platform.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.core.files.storage import Storage
from django.utils import timezone
from django_tenants.utils import schema_context
from psycopg import sql
from psycopg.conninfo import make_conninfo

from tenants.offboarding.archives import CHUNK, TableStats
from tenants.offboarding.records import stored_files
from tenants.offboarding.schema_dumps import (
    STABLE_OUTPUT,
    database_params,
    known_settings_only,
    pg_program,
    psql_feed,
    schema_stats,
    server_version,
    snapshot_connection,
    snapshot_export,
    tool_env,
    tool_failed,
)

DUMP = "database.dump"
MANIFEST = "manifest.json"
FILES = "files"
PUBLIC = "public"


@dataclass
class SchemaRecord:
    """What the backup holds of one schema: an establishment's (uai set) or the public one."""

    schema: str
    uai: str = ""
    name: str = ""
    tables: dict[str, TableStats] = field(default_factory=dict)
    files: dict[str, tuple[int, str]] = field(default_factory=dict)  # name -> (size, sha256)

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables.values())

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["tables"] = {name: asdict(stats) for name, stats in self.tables.items()}
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SchemaRecord:
        return cls(
            schema=str(data["schema"]),
            uai=str(data.get("uai", "")),
            name=str(data.get("name", "")),
            tables={name: TableStats(**stats) for name, stats in data["tables"].items()},
            files={name: (int(size), str(sha)) for name, (size, sha) in data["files"].items()},
        )


@dataclass(frozen=True)
class Difference:
    schema: str
    uai: str
    what: str  # "table <name>", "file <name>"
    expected: str
    found: str


def _sha256(handle: Any) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _run(command: list[str], params: Mapping[str, str]) -> None:
    result = subprocess.run(  # noqa: S603 - fixed argv, no shell
        command, env=tool_env(params), capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL
    )
    if result.returncode != 0:
        raise tool_failed(Path(command[0]).name, result.stderr)


def _records(conn: psycopg.Connection[Any]) -> list[SchemaRecord]:
    rows = conn.execute(
        "SELECT e.schema_name, e.uai, e.name FROM public.tenants_establishment e "
        "JOIN pg_namespace n ON n.nspname = e.schema_name ORDER BY e.uai"
    ).fetchall()
    records = [SchemaRecord(schema=PUBLIC)] + [SchemaRecord(schema=s, uai=u, name=n) for s, u, n in rows]
    for record in records:
        record.tables = schema_stats(conn, record.schema)
    return records


def _storage_files(storage: Storage, schema: str) -> dict[str, tuple[int, str]]:
    files: dict[str, tuple[int, str]] = {}
    with schema_context(schema):
        for name, size in stored_files(storage, schema).items():
            with storage.open(name, "rb") as handle:
                files[name.removeprefix(f"{schema}/")] = (size, _sha256(handle))
    return files


def backup_create(*, target: Path, storage: Storage) -> list[SchemaRecord]:
    """Write a backup of the whole database and every establishment's files into ``target``."""
    target.mkdir(parents=True, exist_ok=False)
    with snapshot_connection() as conn:
        snapshot = snapshot_export(conn)
        records = _records(conn)
        version = server_version(conn)
        _run(
            [
                pg_program("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--no-password",
                f"--snapshot={snapshot}",
                f"--file={target / DUMP}",
            ],
            database_params(),
        )
    for record in records[1:]:
        record.files = _storage_files(storage, record.schema)
        with schema_context(record.schema):
            for name in record.files:
                destination = target / FILES / record.schema / name
                destination.parent.mkdir(parents=True, exist_ok=True)
                with storage.open(f"{record.schema}/{name}", "rb") as source, destination.open("wb") as out:
                    shutil.copyfileobj(source, out, CHUNK)
    manifest = {
        "created_at": timezone.now().isoformat(),
        "server_version": version,
        "base_domain": str(settings.MBN_BASE_DOMAIN),
        "schemas": [record.as_json() for record in records],
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1))
    return records


def backup_manifest(source: Path) -> list[SchemaRecord]:
    data = json.loads((source / MANIFEST).read_text())
    return [SchemaRecord.from_json(item) for item in data["schemas"]]


def _is_empty(params: Mapping[str, str]) -> bool:
    with psycopg.connect(make_conninfo(**params)) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%%'"
        ).fetchone()
    return bool(row and row[0] == 0)


def backup_restore(*, source: Path, database: Mapping[str, str], files_root: Path) -> None:
    """Load a backup into an empty database (libpq parameters) and an empty folder of files."""
    if not _is_empty(database):
        raise ValueError(f"The database {database.get('dbname')} is not empty: restore into an empty one.")
    if files_root.exists() and any(files_root.iterdir()):
        raise ValueError(f"{files_root} is not empty: restore the files into an empty folder.")
    _load(source / DUMP, database)
    if (source / FILES).is_dir():
        shutil.copytree(source / FILES, files_root, dirs_exist_ok=True)
    else:
        files_root.mkdir(parents=True, exist_ok=True)


def _settings_of(database: Mapping[str, str]) -> set[str]:
    with psycopg.connect(make_conninfo(**database)) as conn:
        return {str(name) for (name,) in conn.execute("SELECT name FROM pg_settings").fetchall()}


def _load(dump: Path, database: Mapping[str, str]) -> None:
    """``pg_restore`` to SQL, without settings the server does not know, into ``psql``, stopping
    at the first error (the database was empty: a failed one is dropped, not repaired)."""
    known = _settings_of(database)
    with tempfile.TemporaryFile() as errors:
        restore = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
            [pg_program("pg_restore"), "--no-owner", "--no-privileges", "--file=-", str(dump)],
            stdout=subprocess.PIPE,
            stderr=errors,
            env=tool_env(database),
        )
        assert restore.stdout is not None  # noqa: S101
        try:
            # Not one transaction: every table of every schema would be locked at once (an empty
            # database that failed is dropped and the restore started again).
            psql_feed(known_settings_only(restore.stdout, known), database=database, one_transaction=False)
        except BaseException:
            restore.kill()  # psql's error is the one to tell
            restore.wait()
            raise
        finally:
            restore.stdout.close()
        if restore.wait() != 0:
            errors.seek(0)
            raise tool_failed("pg_restore", errors.read().decode(errors="replace"))


def _files_in(root: Path, schema: str) -> dict[str, tuple[int, str]]:
    base = root / schema
    found: dict[str, tuple[int, str]] = {}
    for path in sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else []:
        with path.open("rb") as handle:
            found[path.relative_to(base).as_posix()] = (path.stat().st_size, _sha256(handle))
    return found


def backup_verify(
    *, expected: Iterable[SchemaRecord], database: Mapping[str, str], files_root: Path
) -> list[Difference]:
    """Every table's rows and fingerprint, every file's size and checksum, compared."""
    differences: list[Difference] = []
    with psycopg.connect(make_conninfo(**database)) as conn:
        conn.read_only = True
        for statement in STABLE_OUTPUT:
            conn.execute(statement)
        present = {name for (name,) in conn.execute("SELECT nspname FROM pg_namespace").fetchall()}
        for record in expected:
            tables = schema_stats(conn, record.schema) if record.schema in present else {}
            for name in sorted(set(record.tables) | set(tables)):
                want, got = record.tables.get(name), tables.get(name)
                if want != got:
                    differences.append(
                        Difference(record.schema, record.uai, f"table {name}", _stats(want), _stats(got))
                    )
            files = _files_in(files_root, record.schema) if record.uai else {}
            for name in sorted(set(record.files) | set(files)):
                want_file, got_file = record.files.get(name), files.get(name)
                if want_file != got_file:
                    differences.append(
                        Difference(
                            record.schema, record.uai, f"file {name}", _file(want_file), _file(got_file)
                        )
                    )
    return differences


def _stats(stats: TableStats | None) -> str:
    return f"{stats.rows} rows, fingerprint {stats.fingerprint}" if stats else "missing"


def _file(entry: tuple[int, str] | None) -> str:
    return f"{entry[0]} bytes, sha256 {entry[1][:12]}" if entry else "missing"


def scratch_database(name: str, *, drop: bool = False) -> dict[str, str]:
    """Create (or drop) an empty database beside the platform's; its libpq parameters."""
    admin = {**database_params(), "dbname": "postgres"}
    with psycopg.connect(make_conninfo(**admin), autocommit=True) as conn:
        if drop:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        else:
            conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
    return {**database_params(), "dbname": name}
