"""STS-web's staff export ``sts_emp_<UAI>.xml`` (root ``STS_EDT``): the staff and their functions,
and in its full form the subjects (``NOMENCLATURES/MATIERES``) and who teaches what to which
division or group (``DONNEES/STRUCTURE``)."""

from __future__ import annotations

from xml.etree.ElementTree import Element

from shared_apps.directory.parsers.checks import RowChecker
from shared_apps.directory.parsers.model import (
    MAX_CLASS,
    MAX_GROUP,
    MAX_ID,
    MAX_SUBJECT_CODE,
    MAX_SUBJECT_NAME,
    STAFF,
    AssignmentRow,
    ParsedFile,
    SubjectRow,
)
from shared_apps.directory.parsers.xml_reading import line_of, person_read, text_of


def staff_read(parsed: ParsedFile, check: RowChecker, root: Element) -> None:
    for element in root.iterfind("DONNEES/INDIVIDUS/INDIVIDU"):
        source_id = element.get("ID", "").strip()
        person = person_read(check, element, STAFF, source_id, ("NOM_USAGE", "NOM_PATRONYMIQUE"))
        codes = [
            (node.text or "").strip() for node in element.iterfind("FONCTION") if (node.text or "").strip()
        ]
        person.roles = check.roles(person.line, codes)
        check.keep_person(person)
    _subjects(parsed, check, root)
    structure = root.find("DONNEES/STRUCTURE")
    if structure is not None:  # an export without it says nothing of who teaches what
        parsed.carries_assignments = True
        _services(parsed, check, structure)


def _subjects(parsed: ParsedFile, check: RowChecker, root: Element) -> None:
    """``NOMENCLATURES/MATIERES/MATIERE``: the code (attribute) the services name, and a label."""
    seen: set[str] = set()
    for element in root.iterfind("NOMENCLATURES/MATIERES/MATIERE"):
        line = line_of(element)
        code = check.text(line, "CODE", element.get("CODE"), required=True, limit=MAX_SUBJECT_CODE)
        label = text_of(element, "LIBELLE_EDITION", "LIBELLE_LONG", "LIBELLE_COURT", "CODE_GESTION") or code
        name = check.text(line, "LIBELLE_EDITION", label, required=True, limit=MAX_SUBJECT_NAME)
        if check.drop():  # a subject that cannot be read: the services naming it say so
            continue
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
            name = check.text(line_of(element), "CODE", element.get("CODE"), required=True, limit=limit)
            division_errors = check.drop()
            declared = parsed.classes if tag == "class" else parsed.groups
            if name and not division_errors and name not in declared:
                declared.append(name)
            for service in element.iterfind("SERVICES/SERVICE"):
                for teacher in service.iterfind("ENSEIGNANTS/ENSEIGNANT"):
                    line = line_of(teacher)
                    check.pending.extend(division_errors)
                    if division_errors and name:
                        parsed.unusable.append((tag, name, division_errors[0].message))
                    code = check.text(
                        line_of(service),
                        "CODE_MATIERE",
                        service.get("CODE_MATIERE"),
                        required=True,
                        limit=MAX_SUBJECT_CODE,
                    )
                    teacher_id = check.text(line, "ID", teacher.get("ID"), required=True, limit=MAX_ID)
                    row = AssignmentRow(
                        teacher_id,
                        code,
                        class_name=name if tag == "class" else "",
                        group_name=name if tag == "group" else "",
                        file=parsed.name,
                        line=line,
                    )
                    check.keep_assignment(row, teacher_id)
