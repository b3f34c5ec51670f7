"""The neutral model every parser produces, and the checks shared by all formats."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from shared_apps.identity.models import ResponsibilityLevel
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


@dataclass
class RowError:
    file: str
    line: int | None
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


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
    format: str  # csv / national_xml
    kind: str = ""  # students / guardians / staff / teaching / establishment
    uai: str = ""
    people: list[PersonRow] = field(default_factory=list)
    links: list[LinkRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # The school's structure, where the file carries it (see docs/directory-import.md).
    subjects: list[SubjectRow] = field(default_factory=list)
    assignments: list[AssignmentRow] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)  # classes the file declares (STS divisions)
    groups: list[str] = field(default_factory=list)  # groups the file declares (STS groups)
    carries_groups: bool = False  # the students' group memberships are in the file
    carries_assignments: bool = False  # the teaching assignments are in the file


@dataclass
class Directory:
    """Everything an import says, whatever its format."""

    uais: list[str] = field(default_factory=list)
    families: list[str] = field(default_factory=list)
    people: list[PersonRow] = field(default_factory=list)
    links: list[LinkRow] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    subjects: list[SubjectRow] = field(default_factory=list)
    assignments: list[AssignmentRow] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)  # declared by the files (students, STS)
    groups: list[str] = field(default_factory=list)  # declared by the files (students, STS)
    carries_groups: bool = False
    carries_assignments: bool = False

    @property
    def has_structure(self) -> bool:
        return bool(self.subjects or self.assignments or self.carries_groups or self.carries_assignments)

    def to_json(self) -> dict[str, Any]:
        return {
            "uais": self.uais,
            "families": self.families,
            "people": [asdict(p) for p in self.people],
            "links": [asdict(link) for link in self.links],
            "subjects": [asdict(s) for s in self.subjects],
            "assignments": [asdict(a) for a in self.assignments],
            "classes": self.classes,
            "groups": self.groups,
            "carries_groups": self.carries_groups,
            "carries_assignments": self.carries_assignments,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Directory:
        return cls(
            uais=list(data.get("uais", [])),
            families=list(data.get("families", [])),
            people=[PersonRow(**p) for p in data.get("people", [])],
            links=[LinkRow(**link) for link in data.get("links", [])],
            subjects=[SubjectRow(**s) for s in data.get("subjects", [])],
            assignments=[AssignmentRow(**a) for a in data.get("assignments", [])],
            classes=list(data.get("classes", [])),
            groups=list(data.get("groups", [])),
            carries_groups=bool(data.get("carries_groups", False)),
            carries_assignments=bool(data.get("carries_assignments", False)),
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
        return canonical


def name_key(value: str) -> str:
    """A name compared without case, accents, hyphens or repeated spaces."""
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


class RowChecker:
    """Collects the errors of one file, each with its line."""

    def __init__(self, parsed: ParsedFile) -> None:
        self.parsed = parsed

    def error(self, line: int | None, field_name: str, message: str) -> None:
        self.parsed.errors.append(RowError(self.parsed.name, line, field_name, message))

    def text(
        self, line: int | None, field_name: str, value: str | None, *, required: bool, limit: int
    ) -> str:
        text = " ".join((value or "").split())
        if required and not text:
            self.error(line, field_name, "This value is required.")
        elif len(text) > limit:
            self.error(line, field_name, f"At most {limit} characters.")
        return text

    def national_id(self, line: int | None, value: str | None) -> str:
        text = (value or "").strip().upper()
        if text and not NATIONAL_ID_RE.match(text):
            self.error(line, "national_id", "A national identifier is 6 to 32 letters or digits.")
        return text

    def birth_date(self, line: int | None, value: str | None) -> str:
        text = (value or "").strip()
        if not text:
            return ""
        for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                parsed = datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date, no time zone)
            except ValueError:
                continue
            if parsed.year < 1900 or parsed > timezone.localdate():
                break
            return parsed.isoformat()
        self.error(line, "birth_date", f"Not a valid date: {text!r} (use DD/MM/YYYY or YYYY-MM-DD).")
        return ""

    def email(self, line: int | None, value: str | None) -> str:
        text = (value or "").strip()
        if not text:
            return ""
        try:
            validate_email(text)
        except ValidationError:
            self.error(line, "email", f"Not a valid e-mail address: {text!r}.")
            return ""
        return text

    def roles(self, line: int | None, value: list[str]) -> list[str]:
        roles: set[str] = set()
        if not value:
            self.error(line, "functions", "A staff member needs at least one function.")
        for code in value:
            role = FUNCTION_ROLES.get(code.strip().upper()) or FUNCTION_ROLES.get(code.strip().lower())
            if role is None:
                self.error(line, "functions", f"Unknown function {code!r} (ENS, EDU, DIR or ADM).")
            else:
                roles.add(role)
        return sorted(roles)

    def responsibility(self, line: int | None, value: str | None) -> int:
        text = (value or "").strip()
        if text.isdigit() and int(text) in ResponsibilityLevel.values:
            return int(text)
        self.error(line, "responsibility", f"Unknown responsibility level {text!r} (1, 2 or 3).")
        return 0

    def flag(self, line: int | None, field_name: str, value: str | None, *, default: bool) -> bool:
        text = (value or "").strip().lower()
        if not text:
            return default
        if text in ("1", "yes", "oui", "true", "o", "y"):
            return True
        if text in ("0", "no", "non", "false", "n"):
            return False
        self.error(line, field_name, f"Expected 1 or 0, not {text!r}.")
        return default


def directory_assemble(files: list[ParsedFile]) -> Directory:
    """Merge the parsed files; check what only the whole can tell (duplicates across rows)."""
    directory = Directory()
    kinds: dict[str, str] = {}
    for parsed in files:
        directory.errors.extend(parsed.errors)
        directory.files.append(
            {"name": parsed.name, "format": parsed.format, "kind": parsed.kind, "rows": len(parsed.people)}
        )
        if parsed.kind in kinds:
            directory.errors.append(
                RowError(
                    parsed.name, None, "file", f"A second {parsed.kind} file (after {kinds[parsed.kind]})."
                )
            )
        kinds.setdefault(parsed.kind, parsed.name)
        if parsed.uai:
            directory.uais.append(parsed.uai)
        directory.people.extend(parsed.people)
        directory.links.extend(parsed.links)
        directory.assignments.extend(parsed.assignments)
        directory.classes.extend(c for c in parsed.classes if c not in directory.classes)
        directory.groups.extend(g for g in parsed.groups if g not in directory.groups)
        directory.carries_groups |= parsed.carries_groups
        directory.carries_assignments |= parsed.carries_assignments
        known = {s.code for s in directory.subjects}
        for subject in parsed.subjects:
            if subject.code not in known:  # the first file naming a subject gives its name
                known.add(subject.code)
                directory.subjects.append(subject)
    directory.families = [
        family
        for family, kind in ((STUDENT, "students"), (GUARDIAN, "guardians"), (STAFF, "staff"))
        if kind in kinds
    ]
    _check_duplicates(directory)
    return directory


def _check_duplicates(directory: Directory) -> None:
    seen_source: dict[tuple[str, str], PersonRow] = {}
    seen_national: dict[str, PersonRow] = {}
    for person in directory.people:
        key = (person.family, person.source_id)
        first = seen_source.get(key)
        if first is not None:
            directory.errors.append(
                RowError(
                    person.file,
                    person.line,
                    "id",
                    f"Identifier {person.source_id!r} already used at line {first.line}.",
                )
            )
        seen_source.setdefault(key, person)
        if person.national_id:
            other = seen_national.get(person.national_id)
            if other is not None and other.family == person.family:
                directory.errors.append(
                    RowError(
                        person.file,
                        person.line,
                        "national_id",
                        f"National identifier already used at line {other.line} of {other.file}.",
                    )
                )
            seen_national.setdefault(person.national_id, person)
    seen_links: set[tuple[str, str]] = set()
    for link in directory.links:
        pair = (link.guardian_id, link.student_id)
        if pair in seen_links:
            directory.errors.append(
                RowError(
                    link.file, link.line, "student_id", "This guardian is already linked to this student."
                )
            )
        seen_links.add(pair)
