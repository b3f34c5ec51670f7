"""The archive of one establishment: its format, writing it, checking it, reading it.

An archive is one ``.tar.gz``:

* ``schema.sql``: a plain ``pg_dump`` of the establishment's schema (``schema_dumps.py``);
* ``public.json``: its rows in the public schema that go when it is deleted (domains,
  memberships, directory records...), serialised by Django, for the record;
* ``files/<name>``: every file under its storage prefix ``<schema>/``, without the prefix;
* ``manifest.json`` (last, since it holds the others' checksums): format version, the
  establishment's fields and domains, the source schema, the applied migrations, per table the
  row count and a content fingerprint, the memberships, and each member's size and sha256.

``archive_verify`` checks the archive's checksum, every member and the manifest before anything
is used; where archives are kept is ``locations.py``.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import tarfile
import tempfile
import time
import zlib
from collections.abc import Generator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from django.utils.translation import gettext as _

from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict

FORMAT = "mbn-establishment-export"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SCHEMA_SQL = "schema.sql"
PUBLIC_JSON = "public.json"
FILES_DIR = "files/"
# Schema names are opaque tokens (tenants.models.new_schema_name): a dump can be moved to another
# schema by replacing the token wherever it stands alone, which is only safe for such names.
OPAQUE_SCHEMA_RE = re.compile(r"^t_[0-9a-f]{10}$")
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
CHUNK = 1024 * 1024
MAX_MANIFEST_BYTES = 256 * 1024 * 1024


class ArchiveInvalid(Conflict):
    """The export named is missing, damaged, or not what the operation needs."""

    code = ErrorCode.EXPORT_INVALID

    def __init__(self, message: Any) -> None:
        super().__init__(message, fields={"export_key": [message]})


# --- the manifest --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberEntry:
    """One member of the archive (or one file of the establishment): size and sha256."""

    size: int
    sha256: str


@dataclass(frozen=True)
class FileEntry:
    name: str  # below the establishment's prefix
    size: int
    sha256: str


@dataclass(frozen=True)
class TableStats:
    rows: int
    fingerprint: str  # sum of the rows' hashes, with the schema name neutralised


@dataclass(frozen=True)
class MembershipEntry:
    user_id: int
    login: str
    role: str
    status: str


@dataclass(frozen=True)
class DomainEntry:
    domain: str
    is_primary: bool


@dataclass(frozen=True)
class Manifest:
    created_at: str
    created_by: int | None
    uai: str
    name: str
    kind: str
    academie: str
    departement: str
    status: str
    base_domain: str
    domains: tuple[DomainEntry, ...]
    schema: str
    migrations: tuple[str, ...]  # "app.name", in the order they were applied
    tables: Mapping[str, TableStats]
    schema_sql: MemberEntry
    public_json: MemberEntry
    public_rows: Mapping[str, int]
    files: tuple[FileEntry, ...]
    memberships: tuple[MembershipEntry, ...]
    server_version: str = ""
    pg_dump_version: str = ""
    format_version: int = field(default=FORMAT_VERSION)

    @property
    def primary_subdomain(self) -> str:
        """The first label of the primary domain (``kleber`` of ``kleber.<base domain>``)."""
        primary = next((d for d in self.domains if d.is_primary), None) or next(iter(self.domains), None)
        if primary is None:
            return ""
        suffix = f".{self.base_domain}"
        host = primary.domain
        return host[: -len(suffix)] if host.endswith(suffix) else host.split(".", 1)[0]

    def members(self) -> dict[str, MemberEntry]:
        """Every member the archive must hold besides the manifest, with its size and checksum."""
        expected = {SCHEMA_SQL: self.schema_sql, PUBLIC_JSON: self.public_json}
        expected.update({FILES_DIR + f.name: MemberEntry(f.size, f.sha256) for f in self.files})
        return expected

    def to_json(self) -> bytes:
        data = {"format": FORMAT, **asdict(self)}
        return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        """Parse and check a manifest; raises ValueError on anything unexpected."""
        data = json.loads(raw)
        _expect(isinstance(data, dict) and data.get("format") == FORMAT, "not an establishment export")
        _expect(data.get("format_version") == FORMAT_VERSION, "unsupported format version")
        schema = _str(data, "schema")
        _expect(OPAQUE_SCHEMA_RE.match(schema) is not None, "bad schema name")
        created_by = data.get("created_by")
        _expect(created_by is None or type(created_by) is int, "bad created_by")
        return cls(
            created_at=_str(data, "created_at"),
            created_by=created_by,
            uai=_str(data, "uai"),
            name=_str(data, "name"),
            kind=_str(data, "kind"),
            academie=_str(data, "academie"),
            departement=_str(data, "departement"),
            status=_str(data, "status"),
            base_domain=_str(data, "base_domain"),
            domains=tuple(
                DomainEntry(domain=_str(d, "domain"), is_primary=bool(d.get("is_primary")))
                for d in _list(data, "domains")
            ),
            schema=schema,
            migrations=tuple(_check(m, str) for m in _list(data, "migrations")),
            tables={
                _check(name, str): TableStats(
                    rows=_int(stats, "rows"), fingerprint=_str(stats, "fingerprint")
                )
                for name, stats in _dict(data, "tables").items()
            },
            schema_sql=_member(_dict(data, "schema_sql")),
            public_json=_member(_dict(data, "public_json")),
            public_rows={_check(k, str): _check(v, int) for k, v in _dict(data, "public_rows").items()},
            files=tuple(_file(f) for f in _list(data, "files")),
            memberships=tuple(
                MembershipEntry(
                    user_id=_int(m, "user_id"),
                    login=_str(m, "login"),
                    role=_str(m, "role"),
                    status=_str(m, "status"),
                )
                for m in _list(data, "memberships")
            ),
            server_version=str(data.get("server_version", "")),
            pg_dump_version=str(data.get("pg_dump_version", "")),
        )


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _check(value: Any, kind: type) -> Any:
    _expect(type(value) is kind, f"expected {kind.__name__}, got {type(value).__name__}")
    return value


def _str(data: Any, key: str) -> str:
    _expect(isinstance(data, dict), "expected an object")
    return str(_check(data.get(key), str))


def _int(data: Any, key: str) -> int:
    _expect(isinstance(data, dict), "expected an object")
    value = _check(data.get(key), int)
    _expect(value >= 0, f"negative {key}")
    return int(value)


def _list(data: dict[str, Any], key: str) -> list[Any]:
    return list(_check(data.get(key), list))


def _dict(data: dict[str, Any], key: str) -> dict[str, Any]:
    return dict(_check(data.get(key), dict))


def _member(data: dict[str, Any]) -> MemberEntry:
    sha = _str(data, "sha256")
    _expect(SHA256_RE.match(sha) is not None, "bad sha256")
    return MemberEntry(size=_int(data, "size"), sha256=sha)


def _file(data: Any) -> FileEntry:
    name = _str(data, "name")
    _expect(safe_relative_name(name), f"unsafe file name {name!r}")
    member = _member(data)
    return FileEntry(name=name, size=member.size, sha256=member.sha256)


def safe_relative_name(name: str) -> bool:
    """A relative POSIX path with no empty, ``.`` or ``..`` part (nothing escapes its folder)."""
    if not name or name.startswith("/") or "\\" in name or "\x00" in name:
        return False
    return all(part not in ("", ".", "..") for part in name.split("/"))


# --- writing and reading archives ----------------------------------------------------------------


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


class ArchiveWriter:
    """Writes the members of an archive one after the other, returning each one's checksum."""

    def __init__(self, path: Path) -> None:
        self._tar = tarfile.open(path, "w:gz", format=tarfile.PAX_FORMAT, compresslevel=6)  # noqa: SIM115

    def __enter__(self) -> ArchiveWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._tar.close()

    def _info(self, name: str, size: int) -> tarfile.TarInfo:
        info = tarfile.TarInfo(name)
        info.size = size
        info.mode = 0o600
        info.mtime = int(time.time())
        return info

    def add_path(self, name: str, path: Path) -> MemberEntry:
        entry = MemberEntry(size=path.stat().st_size, sha256=sha256_of(path))
        with path.open("rb") as handle:
            self._tar.addfile(self._info(name, entry.size), handle)
        return entry

    def add_bytes(self, name: str, data: bytes) -> MemberEntry:
        return self.add_stream(name, io.BytesIO(data))

    def add_stream(self, name: str, stream: Readable) -> MemberEntry:
        """Copy a stream (a stored file) into the archive; spooled first, for its size and checksum."""
        digest = hashlib.sha256()
        size = 0
        with tempfile.SpooledTemporaryFile(max_size=8 * CHUNK) as spool:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                spool.write(chunk)
            spool.seek(0)
            self._tar.addfile(self._info(name, size), spool)
        return MemberEntry(size=size, sha256=digest.hexdigest())


def archive_verify(path: Path, *, expected_sha256: str) -> Manifest:
    """Check an archive completely (its checksum, each member's, the manifest); return the manifest."""
    if sha256_of(path) != expected_sha256:
        raise ArchiveInvalid(_("The export is damaged: its checksum does not match."))
    seen: dict[str, MemberEntry] = {}
    raw_manifest: bytes | None = None
    try:
        for member, handle in archive_members(path):
            if member.name in seen or (member.name == MANIFEST and raw_manifest is not None):
                raise ArchiveInvalid(_("The export holds %(name)s twice.") % {"name": member.name})
            if member.name == MANIFEST:
                raw_manifest = handle.read(MAX_MANIFEST_BYTES + 1)
                continue
            digest = hashlib.sha256()
            size = 0
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
            seen[member.name] = MemberEntry(size=size, sha256=digest.hexdigest())
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise ArchiveInvalid(_("The export cannot be read: %(error)s") % {"error": error}) from error
    if raw_manifest is None or len(raw_manifest) > MAX_MANIFEST_BYTES:
        raise ArchiveInvalid(_("The export has no readable manifest."))
    try:
        manifest = Manifest.from_json(raw_manifest)
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise ArchiveInvalid(_("The export's manifest is invalid: %(error)s") % {"error": error}) from error
    if seen != manifest.members():
        raise ArchiveInvalid(_("The export's content does not match its manifest."))
    return manifest


def archive_members(path: Path) -> Generator[tuple[tarfile.TarInfo, IO[bytes]], None, None]:
    """The regular members of an archive with a reader each, in one pass; refuses anything else."""
    with tarfile.open(path, "r|gz") as tar:
        for member in tar:
            if not member.isfile() or not safe_relative_name(member.name):
                raise ArchiveInvalid(
                    _("The export holds an unexpected entry %(name)r.") % {"name": member.name}
                )
            handle = tar.extractfile(member)
            if handle is None:  # pragma: no cover - regular files always have one
                raise ArchiveInvalid(_("The export cannot be read."))
            yield member, handle
