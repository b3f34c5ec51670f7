"""The national directory's XML exports: students (``ElevesSansAdresses.xml``, root
``BEE_ELEVES``, with their class and groups), guardians (``ResponsablesAvecAdresses.xml``, root
``BEE_RESPONSABLES``), staff (``sts_emp_<UAI>.xml``, root ``STS_EDT``, with the subjects and the
services taught per division and group) and the establishment (``Structures.xml``, root
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
    MAX_GROUP,
    MAX_NAME,
    MAX_SUBJECT_CODE,
    MAX_SUBJECT_NAME,
    STAFF,
    STUDENT,
    AssignmentRow,
    LinkRow,
    ParsedFile,
    PersonRow,
    RowChecker,
    SubjectRow,
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


def _groups(check: RowChecker, structures: Element | None) -> list[str]:
    """The student's groups: the structures of type ``G``."""
    names: list[str] = []
    for structure in structures.iter("STRUCTURE") if structures is not None else ():
        if _text(structure, "TYPE_STRUCTURE") == "G":
            name = check.text(
                _line(structure), "group", _text(structure, "CODE_STRUCTURE"), required=True, limit=MAX_GROUP
            )
            if name and name not in names:
                names.append(name)
    return names


def _students(parsed: ParsedFile, check: RowChecker, root: Element) -> None:
    structures = {
        node.get("ELEVE_ID", ""): node for node in root.iterfind("DONNEES/STRUCTURES/STRUCTURES_ELEVE")
    }
    parsed.carries_groups = True  # the export lists every structure of each student
    for element in root.iterfind("DONNEES/ELEVES/ELEVE"):
        if _text(element, "DATE_SORTIE"):
            continue  # left the establishment: absent from the import, so marked departed
        source_id = element.get("ELEVE_ID", "").strip()
        person = _person(check, element, STUDENT, source_id, ("NOM_DE_FAMILLE", "NOM"))
        nested, separate = element.find("STRUCTURES_ELEVE"), structures.get(source_id)
        class_name = _division(nested) or _division(separate)
        person.class_name = check.text(person.line, "class", class_name, required=True, limit=MAX_CLASS)
        groups = _groups(check, nested)
        person.groups = groups + [g for g in _groups(check, separate) if g not in groups]
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
    _subjects(parsed, check, root)
    structure = root.find("DONNEES/STRUCTURE")
    if structure is not None:  # an export without it says nothing of who teaches what
        parsed.carries_assignments = True
        _services(parsed, check, structure)


def _subjects(parsed: ParsedFile, check: RowChecker, root: Element) -> None:
    """``NOMENCLATURES/MATIERES/MATIERE``: the code (attribute) the services name, and a label."""
    seen: set[str] = set()
    for element in root.iterfind("NOMENCLATURES/MATIERES/MATIERE"):
        line = _line(element)
        code = check.text(line, "CODE", element.get("CODE"), required=True, limit=MAX_SUBJECT_CODE)
        label = _text(element, "LIBELLE_EDITION", "LIBELLE_LONG", "LIBELLE_COURT", "CODE_GESTION") or code
        name = check.text(line, "LIBELLE_EDITION", label, required=True, limit=MAX_SUBJECT_NAME)
        if code and code not in seen:
            seen.add(code)
            parsed.subjects.append(SubjectRow(code, name, parsed.name, line))


def _services(parsed: ParsedFile, check: RowChecker, structure: Element) -> None:
    """``DIVISIONS/DIVISION[@CODE]`` and ``GROUPES/GROUPE[@CODE]``, each with its
    ``SERVICES/SERVICE[@CODE_MATIERE]/ENSEIGNANTS/ENSEIGNANT[@ID]``."""
    for path, tag, limit in (
        ("DIVISIONS/DIVISION", "class", MAX_CLASS),
        ("GROUPES/GROUPE", "group", MAX_GROUP),
    ):
        for element in structure.iterfind(path):
            name = check.text(_line(element), "CODE", element.get("CODE"), required=True, limit=limit)
            if not name:
                continue
            declared = parsed.classes if tag == "class" else parsed.groups
            if name not in declared:
                declared.append(name)
            for service in element.iterfind("SERVICES/SERVICE"):
                code = check.text(
                    _line(service),
                    "CODE_MATIERE",
                    service.get("CODE_MATIERE"),
                    required=True,
                    limit=MAX_SUBJECT_CODE,
                )
                for teacher in service.iterfind("ENSEIGNANTS/ENSEIGNANT"):
                    line = _line(teacher)
                    teacher_id = check.text(line, "ID", teacher.get("ID"), required=True, limit=64)
                    if code and teacher_id:
                        parsed.assignments.append(
                            AssignmentRow(
                                teacher_id,
                                code,
                                class_name=name if tag == "class" else "",
                                group_name=name if tag == "group" else "",
                                file=parsed.name,
                                line=line,
                            )
                        )
