"""Reading one AAF file (``ficAlimMENESR``): its ``addRequest``, ``modifyRequest`` and
``deleteRequest`` elements, each with its ``identifier/id``, its category
(``operationalAttributes``) and its ``attr name="…"`` values (a modification's replaced values).

Streamed (an académie's file holds tens of thousands of people): each request is kept as soon as
it ends, with the attributes the platform reads only (``state.KEPT``). defusedxml refuses
entities; the file's declaration of its DTD (``ficAlimMENESR.dtd``) is accepted, never read.
A file that is not well-formed (truncated, say) is an error of the whole file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from django.utils.translation import gettext as _

from shared_apps.directory.parsers.model import RowError

ROOT = "ficAlimMENESR"
OPERATIONS = {"addRequest": "add", "modifyRequest": "modify", "deleteRequest": "delete"}
CHUNK = 1024 * 1024


@dataclass
class Request:
    op: str  # add / modify / delete
    category: str
    aaf_id: str
    attrs: dict[str, list[str]] = field(default_factory=dict)
    file: str = ""
    line: int | None = None


@dataclass
class FileRead:
    name: str
    requests: list[Request] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)  # the file cannot be used
    skipped: list[RowError] = field(default_factory=list)  # requests left out (no identifier…)


class _Target:
    """Builds the requests from the parser's events."""

    def __init__(self, read: FileRead, kind: str, kept: Iterable[str]) -> None:
        self.read, self.kind, self.kept = read, kind, set(kept)
        self.expat: Any = None
        self.stack: list[str] = []
        self.request: Request | None = None
        self.text: list[str] | None = None
        self.values: list[str] = []
        self.attr_name = ""

    def _line(self) -> int | None:
        return int(self.expat.CurrentLineNumber) if self.expat is not None else None

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        depth = len(self.stack)
        self.stack.append(tag)
        if depth == 0 and tag != ROOT:
            raise ParseError(_("the root element is <%(tag)s>, not <%(root)s>") % {"tag": tag, "root": ROOT})
        if depth == 1:
            op = OPERATIONS.get(tag)
            self.request = Request(op or "", self.kind, "", file=self.read.name, line=self._line())
        elif tag in ("attr", "modification"):
            self.attr_name, self.values = attrs.get("name", ""), []
        elif tag in ("value", "id"):
            self.text = []

    def data(self, text: str) -> None:
        if self.text is not None:
            self.text.append(text)

    def end(self, tag: str) -> None:
        self.stack.pop()
        request = self.request
        if request is None:
            return
        if tag == "value" and self.text is not None:
            self.values.append("".join(self.text).strip())
            self.text = None
        elif tag == "id" and self.text is not None:
            request.aaf_id = "".join(self.text).strip()
            self.text = None
        elif tag in ("attr", "modification"):
            section = self.stack[-1] if self.stack else ""
            if section == "operationalAttributes" and self.attr_name.startswith("categorie"):
                request.category = next((v for v in self.values if v), request.category)
            elif self.attr_name in self.kept:
                request.attrs[self.attr_name] = [v for v in self.values if v]
        elif len(self.stack) == 1:
            self._finish(request)
            self.request = None

    def _finish(self, request: Request) -> None:
        if not request.op:
            message = _("Unknown element: an AAF file holds addRequest, modifyRequest or deleteRequest.")
            self.read.skipped.append(RowError(self.read.name, request.line, "request", message))
        elif not request.aaf_id:
            message = _("A request without its identifier: left out.")
            self.read.skipped.append(RowError(self.read.name, request.line, "identifier", message))
        else:
            self.read.requests.append(request)

    def close(self) -> FileRead:
        return self.read


def aaf_file_read(name: str, chunks: Iterable[bytes], *, kind: str, kept: Iterable[str]) -> FileRead:
    """The requests of one file (its ``kind``: the category of requests that name none)."""
    read = FileRead(name)
    target = _Target(read, kind, kept)
    parser = DefusedXMLParser(target=target, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    target.expat = parser.parser
    try:
        for chunk in chunks:
            parser.feed(chunk)
        parser.close()
    except DefusedXmlException:
        read.errors.append(
            RowError(name, None, "file", _("This XML file declares entities, which are refused."))
        )
    except ParseError as error:
        line = error.position[0] if getattr(error, "position", None) else None
        read.errors.append(RowError(name, line, "file", _("Malformed XML: %(error)s.") % {"error": error}))
    if not read.errors and target.stack:
        read.errors.append(
            RowError(name, None, "file", _("The file ends before its last element: truncated."))
        )
    return read
