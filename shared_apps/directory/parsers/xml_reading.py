"""Reading an XML export safely: defusedxml (no entities, no external references: an XML bomb is
refused), each element with its line, the encodings the exports use.

The encoding is the one the file declares (SIECLE and the AAF write ``ISO-8859-15``); a file that
declares none and is not UTF-8 is read as ISO-8859-15 (what the national tools write).
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from django.utils.translation import gettext as _

from shared_apps.directory.parsers.checks import RowChecker
from shared_apps.directory.parsers.model import MAX_ID, MAX_NAME, PersonRow

LINE = "{urn:mbn:parser}line"
DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)[\"']")
FALLBACK_ENCODING = "iso-8859-15"


class _LineTreeBuilder(TreeBuilder):
    """Records the line of each start tag as a private attribute."""

    expat: Any = None

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        attrs[LINE] = str(self.expat.CurrentLineNumber if self.expat is not None else 0)
        return super().start(tag, attrs)


def line_of(element: Element) -> int | None:
    value = element.get(LINE)
    return int(value) if value else None


def text_of(element: Element, *tags: str) -> str:
    """The first non-empty text of these children (stripped), or ""."""
    for tag in tags:
        value = element.findtext(tag)
        if value and value.strip():
            return value.strip()
    return ""


def _readable(data: bytes) -> bytes:
    data = data.removeprefix(b"\xef\xbb\xbf")
    if DECLARED_ENCODING.match(data[:200]):
        return data
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode(FALLBACK_ENCODING).encode("utf-8")
    return data


def xml_root(data: bytes, check: RowChecker, *, doctype: bool = False) -> Element | None:
    """The root element, or None (with the file's error recorded). ``doctype``: a declaration
    naming an external DTD is accepted (the AAF files name theirs); it is never read."""
    builder = _LineTreeBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=not doctype, forbid_entities=True)
    builder.expat = parser.parser
    try:
        parser.feed(_readable(data))
        root: Element = parser.close()
    except DefusedXmlException:
        check.fatal(None, "file", _("This XML file declares entities or a DTD, which are refused."))
        return None
    except ParseError as error:
        check.fatal(error.position[0], "file", _("Malformed XML: %(error)s.") % {"error": error})
        return None
    except (LookupError, ValueError) as error:  # an encoding Python does not know
        check.fatal(None, "file", _("Unreadable XML: %(error)s.") % {"error": error})
        return None
    return root


def person_read(
    check: RowChecker, element: Element, family: str, source_id: str, last_name_tags: tuple[str, ...]
) -> PersonRow:
    line = line_of(element)
    if not source_id:
        check.error(line, "id", _("<%(tag)s> without its identifier attribute.") % {"tag": element.tag})
    elif len(source_id) > MAX_ID:
        check.error(line, "id", _("At most %(limit)d characters.") % {"limit": MAX_ID})
    return PersonRow(
        family=family,
        source_id=source_id,
        last_name=check.text(
            line, "last_name", text_of(element, *last_name_tags), required=True, limit=MAX_NAME
        ),
        first_name=check.text(line, "first_name", text_of(element, "PRENOM"), required=True, limit=MAX_NAME),
        national_id=check.national_id(line, text_of(element, "ID_NATIONAL")),
        birth_date=check.birth_date(line, text_of(element, "DATE_NAISS", "DATE_NAISSANCE")),
        email=check.email(line, text_of(element, "MEL", "EMAIL")),
        file=check.parsed.name,
        line=line,
    )
