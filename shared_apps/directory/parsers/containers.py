"""ZIP containers, as SIECLE downloads its exports (``ExportXML_ElevesSansAdresses.zip``…): each
XML or CSV file inside is read as if uploaded on its own, named ``<container>/<file>``.

A container is refused whole when it cannot be opened, is encrypted, holds too many files or
expands beyond ``MAX_EXPANDED_BYTES`` (a ZIP bomb): its size is counted as it is read, not taken
from the archive's own claims.
"""

from __future__ import annotations

import io
import zipfile

from django.utils.translation import gettext as _

from shared_apps.directory.parsers.model import RowError

ZIP_MAGIC = b"PK\x03\x04"
MAX_MEMBERS = 20
MAX_EXPANDED_BYTES = 200 * 1024 * 1024
READABLE = (".xml", ".csv")


def is_container(name: str, data: bytes) -> bool:
    return name.lower().endswith(".zip") or data.startswith(ZIP_MAGIC)


def container_expand(name: str, data: bytes) -> tuple[list[tuple[str, bytes]], list[RowError]]:
    """The readable files of a ZIP container, or the reason it cannot be read."""

    def refused(message: str) -> tuple[list[tuple[str, bytes]], list[RowError]]:
        return [], [RowError(name, None, "file", message)]

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return refused(_("This ZIP file cannot be opened."))
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        readable = [info for info in members if info.filename.lower().endswith(READABLE)]
        if len(members) > MAX_MEMBERS:
            return refused(_("This ZIP file holds more than %(n)d files.") % {"n": MAX_MEMBERS})
        if not readable:
            return refused(_("This ZIP file holds no XML or CSV file."))
        files: list[tuple[str, bytes]] = []
        budget = MAX_EXPANDED_BYTES
        for info in readable:
            if info.flag_bits & 0x1:
                return refused(_("This ZIP file is encrypted."))
            try:
                with archive.open(info) as member:
                    content = member.read(budget + 1)
            except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError):
                return refused(_("This ZIP file is damaged."))
            budget -= len(content)
            if budget < 0:
                return refused(
                    _("This ZIP file expands to more than %(mb)d MB.") % {"mb": MAX_EXPANDED_BYTES // 2**20}
                )
            files.append((f"{name}/{info.filename.rsplit('/', 1)[-1]}", content))
    return files, []
