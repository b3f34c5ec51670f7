"""The national directory's XML exports, as a school downloads them:

- students: ``ElevesSansAdresses.xml`` (root ``BEE_ELEVES``), with each student's class, groups,
  MEF and options;
- guardians: ``ResponsablesAvecAdresses.xml`` (root ``BEE_RESPONSABLES``), the responsibility told
  by ``NIVEAU_RESPONSABILITE`` (SIECLE 18.1 and later) or ``RESP_LEGAL`` (before; a file may mix
  both);
- staff: ``sts_emp_<UAI>.xml`` (root ``STS_EDT``, ``sts.py``);
- the establishment: ``Structures.xml`` (``BEE_STRUCTURES``: divisions and groups, with their
  MEFs), ``Nomenclature.xml`` (``BEE_NOMENCLATURES``: MEFs, subjects), ``Communs.xml``
  (``BEE_COMMUN``), any of which names the UAI (``PARAMETRES/UAJ``).

Each element has its line (``xml_reading.py``), so problems name it.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from django.utils.translation import gettext as _

from shared_apps.directory.parsers.checks import RowChecker
from shared_apps.directory.parsers.model import (
    GUARDIAN,
    MAX_CLASS,
    MAX_GROUP,
    MAX_ID,
    STUDENT,
    LinkRow,
    ParsedFile,
)
from shared_apps.directory.parsers.sts import staff_read
from shared_apps.directory.parsers.xml_reading import line_of, person_read, text_of, xml_root
from shared_apps.identity.models import ResponsibilityLevel
from tenants.uai import uai_normalize

ROOT_KINDS = {
    "BEE_ELEVES": "students",
    "BEE_RESPONSABLES": "guardians",
    "STS_EDT": "staff",
    "BEE_STRUCTURES": "structures",
    "BEE_NOMENCLATURES": "nomenclature",
    "BEE_COMMUN": "common",
    "BEE_COMMUNS": "common",
    "ETABLISSEMENT": "establishment",
}


def _uai(root: Element) -> str:
    for path in ("PARAMETRES/UAJ", "PARAMETRES/UAI", "UAJ", "UAI"):
        node = root.find(path)
        if node is not None:
            return uai_normalize(node.get("CODE") or node.text or "")
    return ""


def parse_national_xml(name: str, data: bytes) -> ParsedFile:
    parsed = ParsedFile(name=name, format="national_xml")
    check = RowChecker(parsed)
    root = xml_root(data, check)
    if root is None:
        return parsed
    parsed.kind = ROOT_KINDS.get(root.tag, "")
    parsed.uai = _uai(root)
    if not parsed.kind:
        check.fatal(line_of(root), "file", _("Unknown root element <%(tag)s>.") % {"tag": root.tag})
    elif parsed.kind == "students":
        _students(parsed, check, root)
    elif parsed.kind == "guardians":
        _guardians(parsed, check, root)
    elif parsed.kind == "staff":
        staff_read(parsed, check, root)
    elif parsed.kind == "structures":
        _structures(parsed, root)
    elif parsed.kind == "nomenclature":
        _nomenclature(parsed, root)
    check.finish()
    return parsed


def _division(structures: Element | None) -> str:
    if structures is None:
        return ""
    for structure in structures.iter("STRUCTURE"):
        if text_of(structure, "TYPE_STRUCTURE") in ("", "D"):
            return text_of(structure, "CODE_STRUCTURE")
    return ""


def _groups(check: RowChecker, structures: Element | None) -> list[str]:
    """The student's groups: the structures of type ``G``."""
    names: list[str] = []
    for structure in structures.iter("STRUCTURE") if structures is not None else ():
        if text_of(structure, "TYPE_STRUCTURE") == "G":
            name = check.text(
                line_of(structure),
                "group",
                text_of(structure, "CODE_STRUCTURE"),
                required=True,
                limit=MAX_GROUP,
            )
            if name and name not in names:
                names.append(name)
    return names


def _students(parsed: ParsedFile, check: RowChecker, root: Element) -> None:
    structures = {
        node.get("ELEVE_ID", ""): node for node in root.iterfind("DONNEES/STRUCTURES/STRUCTURES_ELEVE")
    }
    for option in root.iterfind("DONNEES/OPTIONS/OPTION"):
        codes = [text_of(o, "CODE_MATIERE") for o in option.iterfind("OPTIONS_ELEVE")]
        parsed.student_options[option.get("ELEVE_ID", "").strip()] = [c for c in codes if c]
    parsed.carries_groups = True  # the export lists every structure of each student
    for element in root.iterfind("DONNEES/ELEVES/ELEVE"):
        if text_of(element, "DATE_SORTIE"):
            continue  # left the establishment: absent from the import, so marked departed
        source_id = element.get("ELEVE_ID", "").strip()
        person = person_read(check, element, STUDENT, source_id, ("NOM_DE_FAMILLE", "NOM"))
        nested, separate = element.find("STRUCTURES_ELEVE"), structures.get(source_id)
        class_name = _division(nested) or _division(separate)
        person.class_name = check.text(person.line, "class", class_name, required=True, limit=MAX_CLASS)
        groups = _groups(check, nested)
        person.groups = groups + [g for g in _groups(check, separate) if g not in groups]
        mef = text_of(element, "CODE_MEF")
        if mef and source_id:
            parsed.student_mefs[source_id] = mef
        check.keep_person(person)


def _guardians(parsed: ParsedFile, check: RowChecker, root: Element) -> None:
    known: set[str] = set()
    skipped: set[str] = set()
    for element in root.iterfind("DONNEES/PERSONNES/PERSONNE"):
        source_id = element.get("PERSONNE_ID", "").strip()
        person = person_read(check, element, GUARDIAN, source_id, ("NOM_DE_FAMILLE", "NOM"))
        (known if check.keep_person(person) else skipped).add(source_id)
    for element in root.iterfind("DONNEES/RESPONSABLES/RESPONSABLE_ELEVE"):
        line = line_of(element)
        guardian_id = text_of(element, "PERSONNE_ID")
        student_id = check.text(line, "student_id", text_of(element, "ELEVE_ID"), required=True, limit=MAX_ID)
        if guardian_id in skipped:
            check.error(
                line, "PERSONNE_ID", _("Its guardian (PERSONNE_ID %(id)r) is skipped.") % {"id": guardian_id}
            )
        elif guardian_id not in known:
            check.error(
                line,
                "PERSONNE_ID",
                _("No <PERSONNE> with PERSONNE_ID %(id)r in this file.") % {"id": guardian_id},
            )
        level, can_act_default = _responsibility(check, element, line)
        can_act = check.flag(line, "PEUT_AGIR", text_of(element, "PEUT_AGIR"), default=can_act_default)
        check.keep_link(LinkRow(guardian_id, student_id, level, can_act, parsed.name, line))


def _responsibility(check: RowChecker, element: Element, line: int | None) -> tuple[int, bool]:
    """(level, may act by default). ``NIVEAU_RESPONSABILITE``: 1 a legal guardian; 2 a person in
    charge of the child who is not (may act for them); 3 neither. ``RESP_LEGAL`` (older exports):
    1 or 2 a legal guardian, 0 not. A non-legal one paying (``RESP_FINANCIER`` or
    ``PAIE_FRAIS_SCOLAIRES``) is financially responsible, else another contact."""
    niveau, legal = text_of(element, "NIVEAU_RESPONSABILITE"), text_of(element, "RESP_LEGAL")
    paying = text_of(element, "RESP_FINANCIER") or text_of(element, "PAIE_FRAIS_SCOLAIRES")

    def not_legal() -> int:
        financial = check.flag(line, "RESP_FINANCIER", paying, default=False)
        return int(ResponsibilityLevel.FINANCIAL if financial else ResponsibilityLevel.OTHER)

    if niveau == "1" or (not niveau and legal in ("1", "2")):
        return int(ResponsibilityLevel.LEGAL), True
    if niveau in ("2", "3"):
        return not_legal(), niveau == "2"
    if not niveau and legal == "0":
        return not_legal(), False
    if niveau:
        message = _("Unknown responsibility level %(value)r (1, 2 or 3).") % {"value": niveau}
        check.error(line, "NIVEAU_RESPONSABILITE", message)
    else:
        message = _("Unknown responsibility level %(value)r (1, 2 or 0).") % {"value": legal}
        check.error(line, "RESP_LEGAL", message)
    return 0, False


def _mef_of(element: Element) -> str:
    for node in element.iterfind("MEFS_APPARTENANCE/MEF_APPARTENANCE"):
        code = node.get("CODE_MEF") or node.get("CODE") or text_of(node, "CODE_MEF", "CODE")
        if code:
            return code.strip()
    return ""


def _structures(parsed: ParsedFile, root: Element) -> None:
    """``Structures.xml``: the divisions (classes) and groups, with their MEFs."""
    for path, declared in (
        ("DONNEES/DIVISIONS/DIVISION", parsed.classes),
        ("DONNEES/GROUPES/GROUPE", parsed.groups),
    ):
        limit = MAX_CLASS if declared is parsed.classes else MAX_GROUP
        for element in root.iterfind(path):
            code = (element.get("CODE_STRUCTURE") or text_of(element, "CODE_STRUCTURE")).strip()
            if code and len(code) <= limit and code not in declared:
                declared.append(code)
                mef = _mef_of(element)
                if mef and declared is parsed.classes:
                    parsed.division_mefs[code] = mef


def _nomenclature(parsed: ParsedFile, root: Element) -> None:
    """``Nomenclature.xml``: the MEFs' labels (their level) and the subjects' management codes."""
    for element in root.iterfind("DONNEES/MEFS/MEF"):
        code = (element.get("CODE_MEF") or "").strip()
        label = text_of(element, "FORMATION", "LIBELLE_LONG", "LIBELLE_EDITION")
        if code and label:
            parsed.mef_labels[code] = label
    for element in root.iterfind("DONNEES/MATIERES/MATIERE"):
        code = (element.get("CODE_MATIERE") or "").strip()
        short = text_of(element, "CODE_GESTION")
        if code and short:
            parsed.subject_short[code] = short
