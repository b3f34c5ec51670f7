"""Parsers of directory exports (CSV and the national XML layout) into one neutral model."""

from __future__ import annotations

from shared_apps.directory.parsers.model import Directory, LinkRow, ParsedFile, PersonRow, RowError

__all__ = ["Directory", "LinkRow", "ParsedFile", "PersonRow", "RowError", "parse_files"]


def parse_files(files: list[tuple[str, bytes]]) -> Directory:
    """Parse every uploaded file (format told by its name and first bytes) into one directory."""
    from shared_apps.directory.parsers.csv import parse_csv
    from shared_apps.directory.parsers.model import directory_assemble
    from shared_apps.directory.parsers.national_xml import parse_national_xml

    parsed: list[ParsedFile] = []
    for name, data in files:
        if name.lower().endswith(".xml") or data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            parsed.append(parse_national_xml(name, data))
        else:
            parsed.append(parse_csv(name, data))
    return directory_assemble(parsed)
