"""Parsers of directory exports (CSV, the national XML layout, inside ZIP containers or not) into
one neutral model (``model.py``)."""

from __future__ import annotations

from shared_apps.directory.parsers.model import (
    Directory,
    LinkRow,
    ParsedFile,
    PersonRow,
    RowError,
    SkippedRow,
)

__all__ = ["Directory", "LinkRow", "ParsedFile", "PersonRow", "RowError", "SkippedRow", "parse_files"]


def parse_files(files: list[tuple[str, bytes]]) -> Directory:
    """Parse every uploaded file (format told by its name and first bytes) into one directory."""
    from shared_apps.directory.parsers.assemble import directory_assemble
    from shared_apps.directory.parsers.containers import container_expand, is_container
    from shared_apps.directory.parsers.csv import parse_csv
    from shared_apps.directory.parsers.national_xml import parse_national_xml

    parsed: list[ParsedFile] = []
    for name, data in files:
        if is_container(name, data):
            inner, errors = container_expand(name, data)
            if errors:
                parsed.append(ParsedFile(name=name, format="zip", errors=errors))
            readable = inner
        else:
            readable = [(name, data)]
        for inner_name, inner_data in readable:
            if inner_name.lower().endswith(".xml") or inner_data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(
                b"<"
            ):
                parsed.append(parse_national_xml(inner_name, inner_data))
            else:
                parsed.append(parse_csv(inner_name, inner_data))
    return directory_assemble(parsed)
