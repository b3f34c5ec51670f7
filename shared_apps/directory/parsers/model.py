"""The neutral model every parser produces (CSV, the national XML exports, the académies' AAF
files): people, guardian links, the school's structure, and the rows skipped on the way."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

from shared_apps.identity.roles import Role

STUDENT, GUARDIAN, STAFF = "student", "guardian", "staff"
FAMILIES = (STUDENT, GUARDIAN, STAFF)
# Roles an import is authoritative for, per family. The establishment admin role is never
# imported: it is granted by provisioning, and an import must not lock out its own admins.
FAMILY_ROLES: dict[str, frozenset[str]] = {
    STUDENT: frozenset({Role.STUDENT}),
    GUARDIAN: frozenset({Role.GUARDIAN}),
    STAFF: frozenset({Role.TEACHER, Role.SCHOOL_LIFE, Role.ADMIN_STAFF, Role.HEAD}),
}
# The national directory's function codes, and the role names accepted in CSV files.
FUNCTION_ROLES: dict[str, str] = {
    "ENS": Role.TEACHER,
    "EDU": Role.SCHOOL_LIFE,
    "DIR": Role.HEAD,
    "ADM": Role.ADMIN_STAFF,
    **{role: role for role in FAMILY_ROLES[STAFF]},
}
NATIONAL_ID_RE = re.compile(r"^[0-9A-Z]{6,32}$")
MAX_NAME = 150
MAX_CLASS = 40
MAX_GROUP = 60
MAX_SUBJECT_CODE = 20
MAX_SUBJECT_NAME = 100
MAX_ID = 64
# Export ids that name the same person in every establishment of a scope (an académie's AAF ids,
# written "aaf:<académie>:<id>"): a record of another establishment with the same one is them.
SCOPED_ID_PREFIX = "aaf:"

# What a skipped row was (``SkippedRow.what``): a person, a guardian link, a teaching assignment,
# or only one of its values (an e-mail address or a birth date left out, the row kept).
PERSON, LINK, ASSIGNMENT, VALUE = "person", "link", "assignment", "value"


@dataclass
class RowError:
    file: str
    line: int | None
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SkippedRow:
    """A row left out of the import (or a value left out of a row), and why. It carries what is
    needed to recognise the person it names, so that skipping a row never departs anybody."""

    file: str
    line: int | None
    field: str
    message: str
    what: str = PERSON  # person / link / assignment / value
    family: str = ""
    source_id: str = ""  # the person's id (a link: the guardian's; an assignment: the teacher's)
    national_id: str = ""
    last_name: str = ""
    first_name: str = ""
    student_id: str = ""  # a link's student

    def as_error(self) -> RowError:
        return RowError(self.file, self.line, self.field, self.message)

    def as_dict(self) -> dict[str, Any]:
        name = f"{self.first_name} {self.last_name}".strip()
        return {**self.as_error().as_dict(), "what": self.what, "name": name}


@dataclass
class PersonRow:
    family: str
    source_id: str
    last_name: str
    first_name: str
    national_id: str = ""
    birth_date: str = ""  # ISO date, or ""
    email: str = ""
    class_name: str = ""
    roles: list[str] = field(default_factory=list)
    file: str = ""
    line: int | None = None
    groups: list[str] = field(default_factory=list)  # a student's teaching groups (names)


@dataclass
class SubjectRow:
    code: str
    name: str
    file: str = ""
    line: int | None = None


@dataclass
class AssignmentRow:
    """A teacher (the staff file's id) teaches a subject (its code) to a class or to a group."""

    teacher_id: str
    subject_code: str
    class_name: str = ""
    group_name: str = ""
    file: str = ""
    line: int | None = None


@dataclass
class LinkRow:
    guardian_id: str
    student_id: str
    responsibility_level: int
    can_act: bool
    file: str = ""
    line: int | None = None


@dataclass
class ParsedFile:
    name: str
    format: str  # csv / national_xml / aaf
    kind: str = (
        ""  # students / guardians / staff / teaching / establishment / structures / nomenclature / common
    )
    uai: str = ""
    people: list[PersonRow] = field(default_factory=list)
    links: list[LinkRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)  # the file cannot be used (refuses the import)
    skipped: list[SkippedRow] = field(default_factory=list)
    # (field, value, reason) of each class or group a skipped row needed but that cannot be
    # imported: several rows needing the same one refuse the import (skipping them is not safe).
    unusable: list[tuple[str, str, str]] = field(default_factory=list)
    # The school's structure, where the file carries it (see docs/directory-import.md).
    subjects: list[SubjectRow] = field(default_factory=list)
    assignments: list[AssignmentRow] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)  # classes the file declares (STS divisions)
    groups: list[str] = field(default_factory=list)  # groups the file declares (STS groups)
    carries_groups: bool = False  # the students' group memberships are in the file
    carries_assignments: bool = False  # the teaching assignments are in the file
    # The SIECLE "MEF" (module of training) codes: their level (Nomenclature), the divisions'
    # (Structures), the students' (their CODE_MEF); language options per student (CODE_MATIERE).
    mef_labels: dict[str, str] = field(default_factory=dict)
    division_mefs: dict[str, str] = field(default_factory=dict)
    student_mefs: dict[str, str] = field(default_factory=dict)  # student id -> MEF code
    student_options: dict[str, list[str]] = field(default_factory=dict)  # student id -> subject codes
    subject_short: dict[str, str] = field(default_factory=dict)  # subject code -> CODE_GESTION

    @property
    def rows(self) -> int:
        """Its rows of people and guardian links, read or skipped."""
        return len(self.people) + len(self.links) + self.rows_skipped

    @property
    def rows_skipped(self) -> int:
        return len(
            {(s.line, s.what, s.source_id, s.student_id) for s in self.skipped if s.what in (PERSON, LINK)}
        )


@dataclass
class Directory:
    """Everything an import says, whatever its format."""

    uais: list[str] = field(default_factory=list)
    families: list[str] = field(default_factory=list)  # families the import is authoritative for
    people: list[PersonRow] = field(default_factory=list)
    links: list[LinkRow] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    subjects: list[SubjectRow] = field(default_factory=list)
    assignments: list[AssignmentRow] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)  # declared by the files (students, STS)
    groups: list[str] = field(default_factory=list)  # declared by the files (students, STS)
    carries_groups: bool = False
    carries_assignments: bool = False
    class_levels: dict[str, str] = field(default_factory=dict)  # class name -> level (the MEFs)
    # A delta (an AAF delta file): only the people listed change; nobody departs for being absent,
    # only the people of ``departed`` ((family, export id) pairs).
    delta: bool = False
    departed: list[tuple[str, str]] = field(default_factory=list)

    def skipped_counts(self) -> dict[str, int]:
        """Rows skipped (a person, a link, an assignment) and values left out (the row kept)."""
        rows = {(s.file, s.line, s.what, s.source_id, s.student_id) for s in self.skipped if s.what != VALUE}
        return {"skipped": len(rows), "left_out": sum(1 for s in self.skipped if s.what == VALUE)}

    @property
    def has_structure(self) -> bool:
        return bool(self.subjects or self.assignments or self.carries_groups or self.carries_assignments)

    def to_json(self) -> dict[str, Any]:
        return {
            "uais": self.uais,
            "families": self.families,
            "people": [asdict(p) for p in self.people],
            "links": [asdict(link) for link in self.links],
            "skipped": [asdict(s) for s in self.skipped],
            "subjects": [asdict(s) for s in self.subjects],
            "assignments": [asdict(a) for a in self.assignments],
            "classes": self.classes,
            "groups": self.groups,
            "carries_groups": self.carries_groups,
            "carries_assignments": self.carries_assignments,
            "class_levels": self.class_levels,
            "delta": self.delta,
            "departed": [list(pair) for pair in self.departed],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Directory:
        return cls(
            uais=list(data.get("uais", [])),
            families=list(data.get("families", [])),
            people=[PersonRow(**p) for p in data.get("people", [])],
            links=[LinkRow(**link) for link in data.get("links", [])],
            skipped=[SkippedRow(**s) for s in data.get("skipped", [])],
            subjects=[SubjectRow(**s) for s in data.get("subjects", [])],
            assignments=[AssignmentRow(**a) for a in data.get("assignments", [])],
            classes=list(data.get("classes", [])),
            groups=list(data.get("groups", [])),
            carries_groups=bool(data.get("carries_groups", False)),
            carries_assignments=bool(data.get("carries_assignments", False)),
            class_levels=dict(data.get("class_levels", {})),
            delta=bool(data.get("delta", False)),
            departed=[(family, source_id) for family, source_id in data.get("departed", [])],
        )

    def canonical(self) -> dict[str, Any]:
        """The content without positions: the same people give the same hash, whatever the files."""
        people = sorted(
            (
                {k: v for k, v in asdict(p).items() if k not in ("file", "line") and (v or k != "groups")}
                for p in self.people
            ),
            key=lambda p: (p["family"], p["source_id"]),
        )
        links = sorted(
            ({k: v for k, v in asdict(x).items() if k not in ("file", "line")} for x in self.links),
            key=lambda x: (x["guardian_id"], x["student_id"]),
        )
        canonical: dict[str, Any] = {
            "uais": sorted(set(self.uais)),
            "families": sorted(self.families),
            "people": people,
            "links": links,
        }
        if self.has_structure:  # (an import without structure keeps the hash it always had)
            canonical["structure"] = {
                "subjects": sorted({(s.code, s.name) for s in self.subjects}),
                "assignments": sorted(
                    {(a.teacher_id, a.subject_code, a.class_name, a.group_name) for a in self.assignments}
                ),
                "classes": sorted(set(self.classes)),
                "groups": sorted(set(self.groups)),
                "carries": [self.carries_groups, self.carries_assignments],
            }
        # What older imports never had is only counted when present (their hashes stay the same).
        if self.skipped:
            canonical["skipped"] = sorted(
                {(s.what, s.family, s.source_id, s.student_id, s.field) for s in self.skipped}
            )
        if self.class_levels:
            canonical["class_levels"] = sorted(self.class_levels.items())
        if self.delta or self.departed:
            canonical["delta"] = [self.delta, sorted(self.departed)]
        return canonical


def name_key(value: str) -> str:
    """A name compared without case, accents, hyphens or repeated spaces."""
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def skipped_person(person: PersonRow, error: RowError, *, what: str = PERSON) -> SkippedRow:
    return SkippedRow(
        error.file or person.file,
        error.line if error.line is not None else person.line,
        error.field,
        error.message,
        what=what,
        family=person.family,
        source_id=person.source_id,
        national_id=person.national_id,
        last_name=person.last_name,
        first_name=person.first_name,
    )
