"""The national directory's XML exports: students (``ElevesSansAdresses.xml``, root
``BEE_ELEVES``), guardians (``ResponsablesAvecAdresses.xml``, root ``BEE_RESPONSABLES``), staff
(``sts_emp_<UAI>.xml``, root ``STS_EDT``) and the establishment (``Structures.xml``, root
``BEE_STRUCTURES``, or any file whose ``PARAMETRES`` carry the ``UAJ``).

Parsed with defusedxml (no entities, no external references: an XML bomb is refused). Each
element gets its line number from the expat parser, so errors name the line.
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from shared_apps.directory.parsers.model import (
    GUARDIAN,
    MAX_CLASS,
    MAX_NAME,
    STAFF,
    STUDENT,
    LinkRow,
    ParsedFile,
    PersonRow,
    RowChecker,
)
from shared_apps.identity.models import ResponsibilityLevel
from tenants.uai import uai_normalize

LINE = "{urn:mbn:parser}line"
ROOT_KINDS = {
    "BEE_ELEVES": "students",
    "BEE_RESPONSABLES": "guardians",
    "STS_EDT": "staff",
    "BEE_STRUCTURES": "establishment",
    "BEE_NOMENCLATURES": "establishment",
    "ETABLISSEMENT": "establishment",
}


class _LineTreeBuilder(TreeBuilder):
    """Records the line of each start tag as a private attribute."""

    expat: Any = None

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        attrs[LINE] = str(self.expat.CurrentLineNumber if self.expat is not None else 0)
        return super().start(tag, attrs)


def _line(element: Element) -> int | None:
    value = element.get(LINE)
    return int(value) if value else None


def _text(element: Element, *tags: str) -> str:
    for tag in tags:
        value = element.findtext(tag)
        if value and value.strip():
            return value.strip()
    return ""


def _uai(root: Element) -> str:
    for path in ("PARAMETRES/UAJ", "PARAMETRES/UAI", "UAJ", "UAI"):
        node = root.find(path)
        if node is not None:
            return uai_normalize(node.get("CODE") or node.text or "")
    return ""


def parse_national_xml(name: str, data: bytes) -> ParsedFile:
    parsed = ParsedFile(name=name, format="national_xml")
    check = RowChecker(parsed)
    builder = _LineTreeBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    builder.expat = parser.parser
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException:
        check.error(None, "file", "This XML file declares entities or a DTD, which are refused.")
        return parsed
    except ParseError as error:
        check.error(error.position[0], "file", f"Malformed XML: {error}.")
        return parsed
    parsed.kind = ROOT_KINDS.get(root.tag, "")
    parsed.uai = _uai(root)
    if not parsed.kind:
        check.error(_line(root), "file", f"Unknown root element <{root.tag}>.")
    elif parsed.kind == "students":
        _students(parsed, check, root)
    elif parsed.kind == "guardians":
        _guardians(parsed, check, root)
    elif parsed.kind == "staff":
        _staff(parsed, check, root)
    return parsed


def _person(
    check: RowChecker, element: Element, family: str, source_id: str, last_name_tags: tuple[str, ...]
) -> PersonRow:
    line = _line(element)
    if not source_id:
        check.error(line, "id", f"<{element.tag}> without its identifier attribute.")
    return PersonRow(
        family=family,
        source_id=source_id,
        last_name=check.text(
            line, "last_name", _text(element, *last_name_tags), required=True, limit=MAX_NAME
        ),
        first_name=check.text(line, "first_name", _text(element, "PRENOM"), required=True, limit=MAX_NAME),
        national_id=check.national_id(line, _text(element, "ID_NATIONAL")),
        birth_date=check.birth_date(line, _text(element, "DATE_NAISS", "DATE_NAISSANCE")),
        email=check.email(line, _text(element, "MEL", "EMAIL")),
        file=check.parsed.name,
        line=line,
    )


def _division(structures: Element | None) -> str:
    if structures is None:
        return ""
    for structure in structures.iter("STRUCTURE"):
        if _text(structure, "TYPE_STRUCTURE") in ("", "D"):
            return _text(structure, "CODE_STRUCTURE")
    return ""


def _students(parsed: ParsedFile, check: RowChecker, root: Element) -> None:
    divisions = {
        node.get("ELEVE_ID", ""): _division(node)
        for node in root.iterfind("DONNEES/STRUCTURES/STRUCTURES_ELEVE")
    }
    for element in root.iterfind("DONNEES/ELEVES/ELEVE"):
        if _text(element, "DATE_SORTIE"):
            continue  # left the establishment: absent from the import, so marked departed
        source_id = element.get("ELEVE_ID", "").strip()
        person = _person(check, element, STUDENT, source_id, ("NOM_DE_FAMILLE", "NOM"))
        class_name = _division(element.find("STRUCTURES_ELEVE")) or divisions.get(source_id, "")
        person.class_name = check.text(person.line, "class", class_name, required=True, limit=MAX_CLASS)
        parsed.people.append(person)


def _guardians(parsed: ParsedFile, check: RowChecker, root: Element) -> None:
    known: set[str] = set()
    for element in root.iterfind("DONNEES/PERSONNES/PERSONNE"):
        source_id = element.get("PERSONNE_ID", "").strip()
        parsed.people.append(_person(check, element, GUARDIAN, source_id, ("NOM_DE_FAMILLE", "NOM")))
        known.add(source_id)
    for element in root.iterfind("DONNEES/RESPONSABLES/RESPONSABLE_ELEVE"):
        line = _line(element)
        guardian_id = _text(element, "PERSONNE_ID")
        student_id = check.text(line, "student_id", _text(element, "ELEVE_ID"), required=True, limit=64)
        if guardian_id not in known:
            check.error(line, "PERSONNE_ID", f"No <PERSONNE> with PERSONNE_ID {guardian_id!r} in this file.")
        legal = _text(element, "RESP_LEGAL")
        if legal in ("1", "2"):
            level = int(ResponsibilityLevel.LEGAL)
        elif legal == "0":
            financial = check.flag(line, "RESP_FINANCIER", _text(element, "RESP_FINANCIER"), default=False)
            level = int(ResponsibilityLevel.FINANCIAL if financial else ResponsibilityLevel.OTHER)
        else:
            check.error(line, "RESP_LEGAL", f"Unknown responsibility level {legal!r} (1, 2 or 0).")
            level = 0
        can_act = check.flag(
            line, "PEUT_AGIR", _text(element, "PEUT_AGIR"), default=level == ResponsibilityLevel.LEGAL
        )
        parsed.links.append(LinkRow(guardian_id, student_id, level, can_act, parsed.name, line))


def _staff(parsed: ParsedFile, check: RowChecker, root: Element) -> None:
    for element in root.iterfind("DONNEES/INDIVIDUS/INDIVIDU"):
        source_id = element.get("ID", "").strip()
        person = _person(check, element, STAFF, source_id, ("NOM_USAGE", "NOM_PATRONYMIQUE"))
        codes = [
            (node.text or "").strip() for node in element.iterfind("FONCTION") if (node.text or "").strip()
        ]
        person.roles = check.roles(person.line, codes)
        parsed.people.append(person)
