"""Each establishment's directory (the import's neutral model) from what the académie says.

- Establishments (``EtabEducNat``): the AAF id the other files name, and the UAI.
- Students (``Eleve``): their establishment (``ENTEleveStructRattachId``, else
  ``ENTPersonStructRattach``, else their classes'), national id (``ENTEleveINE``), class
  (``ENTEleveClasses``: ``<establishment id>$<class>``), groups (``ENTEleveGroupes``), guardians
  (``ENTElevePersRelEleve``: ``<person id>$<relation>$<financial>$<legal>$<contact>$<paying>``;
  legal 1 or 2 is a legal guardian, who may act for the child; else financially responsible if
  financial or paying is 1, else another contact).
- Guardians (``PersRelEleve``): in the establishments of the children who name them.
- Groups and teaching assignments follow the files when the académie sends some (any student's
  ``ENTEleveGroupes``, any teacher's ``ENTAuxEns…Matieres``); otherwise they are left alone.
- Staff (``PersEducNat``): in each establishment where ``ENTPersonFonctions``
  (``<establishment id>$<function>$…``) gives them a function the platform knows (``FUNCTIONS``),
  with what they teach (``ENTAuxEnsClassesMatieres`` / ``ENTAuxEnsGroupesMatieres``:
  ``<establishment id>$<class or group>$<subject id>``, the subject named by ``MatiereEducNat``).

Values are checked as a school's files are: a bad row is skipped (``checks.py``), and the same
rules of the whole apply (``assemble.py``), per establishment.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from shared_apps.directory.aaf.names import ELEVE, ETAB, MATIERE, PERS_EDUC_NAT, PERS_REL_ELEVE
from shared_apps.directory.aaf.state import WHERE, Entries
from shared_apps.directory.parsers.assemble import directory_assemble
from shared_apps.directory.parsers.checks import RowChecker
from shared_apps.directory.parsers.model import (
    GUARDIAN,
    MAX_CLASS,
    MAX_GROUP,
    MAX_ID,
    MAX_NAME,
    STAFF,
    STUDENT,
    AssignmentRow,
    Directory,
    LinkRow,
    ParsedFile,
    PersonRow,
    SubjectRow,
)
from shared_apps.identity.models import ResponsibilityLevel
from shared_apps.identity.roles import Role
from tenants.uai import uai_normalize

FUNCTIONS = {
    "ENS": Role.TEACHER,
    "DOC": Role.TEACHER,
    "DIR": Role.HEAD,
    "EDU": Role.SCHOOL_LIFE,
    "AED": Role.SCHOOL_LIFE,
    "SUR": Role.SCHOOL_LIFE,
    "ADF": Role.ADMIN_STAFF,
    "ADM": Role.ADMIN_STAFF,
}


def _first(attrs: dict[str, Any], *names: str) -> str:
    for name in names:
        for value in attrs.get(name, []):
            if value.strip():
                return str(value).strip()
    return ""


def _scoped(attrs: dict[str, Any], name: str) -> list[list[str]]:
    """The ``<establishment id>$…`` values of an attribute, split."""
    return [str(value).split("$") for value in attrs.get(name, []) if "$" in str(value)]


@dataclass
class Index:
    """What the académie says, indexed by establishment."""

    entries: Entries
    uais: dict[str, str] = field(default_factory=dict)  # establishment id -> UAI
    students: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # establishment id -> ids
    staff: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    children: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # guardian -> students
    # Whether the académie sends groups and teaching assignments at all (else they are left alone).
    has_groups: bool = False
    has_assignments: bool = False

    def student_places(self, attrs: dict[str, Any] | None) -> set[str]:
        if not attrs:
            return set()
        attached = _first(attrs, "ENTEleveStructRattachId", "ENTPersonStructRattach")
        return {attached} if attached else {parts[0] for parts in _scoped(attrs, "ENTEleveClasses")}

    @staticmethod
    def staff_places(attrs: dict[str, Any] | None) -> set[str]:
        if not attrs:
            return set()
        return {
            p[0] for p in _scoped(attrs, "ENTPersonFonctions") if len(p) > 1 and p[1].upper() in FUNCTIONS
        }

    @staticmethod
    def guardians_of(attrs: dict[str, Any] | None) -> set[str]:
        return {str(v).split("$")[0] for v in (attrs or {}).get("ENTElevePersRelEleve", []) if str(v).strip()}


def index_build(entries: Entries) -> Index:
    index = Index(entries)
    for sid, attrs in entries.get(ETAB, {}).items():
        uai = uai_normalize(_first(attrs, "ENTStructureUAI", "ENTEtablissementUAI"))
        if uai:
            index.uais[sid] = uai
    for student_id, attrs in entries.get(ELEVE, {}).items():
        for sid in index.student_places(attrs):
            index.students[sid].add(student_id)
        for guardian_id in index.guardians_of(attrs):
            index.children[guardian_id].add(student_id)
        index.has_groups = index.has_groups or bool(_scoped(attrs, "ENTEleveGroupes"))
    for staff_id, attrs in entries.get(PERS_EDUC_NAT, {}).items():
        for sid in index.staff_places(attrs):
            index.staff[sid].add(staff_id)
        index.has_assignments = index.has_assignments or bool(
            _scoped(attrs, "ENTAuxEnsClassesMatieres") or _scoped(attrs, "ENTAuxEnsGroupesMatieres")
        )
    return index


class EstablishmentBuilder:
    """One establishment's directory."""

    def __init__(self, index: Index, sid: str, prefix: str) -> None:
        self.index, self.sid, self.prefix = (
            index,
            sid,
            prefix,
        )  # ids: "<prefix><AAF id>" (model.SCOPED_ID_PREFIX)
        self.files = {
            kind: ParsedFile(name=category, format="aaf", kind=kind)
            for kind, category in (
                ("students", ELEVE),
                ("guardians", PERS_REL_ELEVE),
                ("staff", PERS_EDUC_NAT),
            )
        }
        self.files["students"].carries_groups = index.has_groups
        self.files["staff"].carries_assignments = index.has_assignments
        self.checks = {kind: RowChecker(parsed) for kind, parsed in self.files.items()}

    def _person(
        self, kind: str, family: str, aaf_id: str, attrs: dict[str, Any]
    ) -> tuple[PersonRow, RowChecker]:
        check = self.checks[kind]
        file, line = (attrs.get(WHERE) or ["", None])[:2]
        check.file = str(file)
        if len(self.prefix + aaf_id) > MAX_ID:
            check.error(
                line, "identifier", _("At most %(limit)d characters.") % {"limit": MAX_ID - len(self.prefix)}
            )
        person = PersonRow(
            family=family,
            source_id=self.prefix + aaf_id,
            last_name=check.text(
                line, "sn", _first(attrs, "sn", "ENTPersonNomPatro"), required=True, limit=MAX_NAME
            ),
            first_name=check.text(
                line, "givenName", _first(attrs, "givenName"), required=True, limit=MAX_NAME
            ),
            national_id=check.national_id(line, _first(attrs, "ENTEleveINE")) if family == STUDENT else "",
            birth_date=check.birth_date(line, _first(attrs, "ENTPersonDateNaissance")),
            email=check.email(line, _first(attrs, "mail")),
            file=str(file),
            line=line,
        )
        return person, check

    def student(self, aaf_id: str, attrs: dict[str, Any]) -> set[str]:
        """Adds the student and their links; returns the guardians they name."""
        person, check = self._person("students", STUDENT, aaf_id, attrs)
        classes = [p[1] for p in _scoped(attrs, "ENTEleveClasses") if p[0] == self.sid and len(p) > 1]
        person.class_name = check.text(
            person.line, "class", classes[0] if classes else "", required=True, limit=MAX_CLASS
        )
        for parts in _scoped(attrs, "ENTEleveGroupes"):
            if parts[0] == self.sid and len(parts) > 1:
                name = check.text(person.line, "group", parts[1], required=True, limit=MAX_GROUP)
                if name and name not in person.groups:
                    person.groups.append(name)
        if not check.keep_person(person):
            return set()
        named = set()
        for value in attrs.get("ENTElevePersRelEleve", []):
            named.add(self._link(check, person, str(value)))
        return named - {""}

    def _link(self, check: RowChecker, student: PersonRow, value: str) -> str:
        parts = value.split("$")
        guardian_id = parts[0].strip()
        if len(parts) < 4 or not guardian_id:
            check.error(
                student.line, "ENTElevePersRelEleve", _("Not a relation: %(value)r.") % {"value": value}
            )
        elif guardian_id not in self.index.entries.get(PERS_REL_ELEVE, {}):
            message = _("Its guardian %(id)r is not in the PersRelEleve files.") % {"id": guardian_id}
            check.error(student.line, "ENTElevePersRelEleve", message)
        legal = len(parts) > 3 and parts[3].strip() in ("1", "2")
        paying = any(len(parts) > n and parts[n].strip() == "1" for n in (2, 5))
        level = (
            ResponsibilityLevel.LEGAL
            if legal
            else (ResponsibilityLevel.FINANCIAL if paying else ResponsibilityLevel.OTHER)
        )
        link = LinkRow(
            self.prefix + guardian_id, student.source_id, int(level), legal, student.file, student.line
        )
        return guardian_id if check.keep_link(link) else ""

    def guardian(self, aaf_id: str, attrs: dict[str, Any]) -> None:
        person, check = self._person("guardians", GUARDIAN, aaf_id, attrs)
        check.keep_person(person)

    def staff(self, aaf_id: str, attrs: dict[str, Any]) -> None:
        person, check = self._person("staff", STAFF, aaf_id, attrs)
        codes = {
            p[1].upper() for p in _scoped(attrs, "ENTPersonFonctions") if p[0] == self.sid and len(p) > 1
        }
        person.roles = sorted({FUNCTIONS[code] for code in codes if code in FUNCTIONS})
        if not check.keep_person(person):
            return
        subjects = self.index.entries.get(MATIERE, {})
        parsed = self.files["staff"]
        for name, is_class in (("ENTAuxEnsClassesMatieres", True), ("ENTAuxEnsGroupesMatieres", False)):
            for parts in _scoped(attrs, name):
                if parts[0] != self.sid or len(parts) < 3:
                    continue
                audience, code = parts[1].strip(), parts[2].strip()
                limit = MAX_CLASS if is_class else MAX_GROUP
                check.text(person.line, name, audience, required=True, limit=limit)
                if code not in subjects:
                    check.error(
                        person.line,
                        name,
                        _("Subject %(code)r is not in the MatiereEducNat files.") % {"code": code},
                    )
                elif code not in {s.code for s in parsed.subjects}:
                    label = _first(subjects[code], "ENTLibelleMatiere") or code
                    parsed.subjects.append(SubjectRow(code, label[:100], person.file, person.line))
                row = AssignmentRow(
                    person.source_id,
                    code,
                    audience if is_class else "",
                    "" if is_class else audience,
                    person.file,
                    person.line,
                )
                if check.keep_assignment(row, person.source_id):
                    (parsed.classes if is_class else parsed.groups).append(audience)

    def directory(self, uai: str) -> Directory:
        for check in self.checks.values():
            check.finish()
        structure = self.index.entries.get(ETAB, {}).get(self.sid, {})
        self.files["students"].classes = [
            p[0] for p in (str(v).split("$") for v in structure.get("ENTStructureClasses", [])) if p[0]
        ]
        self.files["students"].groups = [
            p[0] for p in (str(v).split("$") for v in structure.get("ENTStructureGroupes", [])) if p[0]
        ]
        for parsed in self.files.values():
            parsed.uai = uai
            parsed.classes = [c for c in dict.fromkeys(parsed.classes) if len(c) <= MAX_CLASS]
            parsed.groups = [g for g in dict.fromkeys(parsed.groups) if len(g) <= MAX_GROUP]
            if not parsed.rows and not parsed.assignments:
                parsed.kind = ""  # a family the files list nobody of: left as it is
        return directory_assemble(list(self.files.values()))
