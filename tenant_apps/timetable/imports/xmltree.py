"""Reading an XML file safely (defusedxml: no entities, no DTD, no external references) with the
line of each element, for errors that name it."""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from django.utils.translation import gettext as _

from tenant_apps.timetable.imports.rows import ReadError

LINE = "{urn:mbn:timetable}line"


class _LineTreeBuilder(TreeBuilder):
    expat: Any = None

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        attrs[LINE] = str(self.expat.CurrentLineNumber if self.expat is not None else 0)
        return super().start(tag, attrs)


def xml_root(data: bytes) -> Element:
    """The document's root (namespaces dropped from the tags); ``ReadError`` when malformed."""
    builder = _LineTreeBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    builder.expat = parser.parser
    try:
        parser.feed(data)
        root: Element = parser.close()
    except DefusedXmlException as error:
        raise ReadError(_("This XML file declares entities or a DTD, which are refused.")) from error
    except ParseError as error:
        raise ReadError(_("Malformed XML: %(error)s.") % {"error": error}, error.position[0]) from error
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.split("}", 1)[1]
    return root


def line_of(element: Element) -> int | None:
    value = element.get(LINE)
    return int(value) if value else None


def attr(element: Element, *names: str) -> str:
    """The first of these attributes (or child elements' text) that is given, stripped."""
    for name in names:
        value = element.get(name)
        if value is None:
            value = element.findtext(name)
        if value is not None and value.strip():
            return value.strip()
    return ""
