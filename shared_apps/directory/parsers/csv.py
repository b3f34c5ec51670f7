"""CSV directory files: one per kind (students, guardians, staff, teaching, establishment), UTF-8,
with a header row; ``;``, ``,`` or tab separated. The layout is described in docs/directory-import.md."""

from __future__ import annotations

import csv
import io
import re

from django.utils.translation import gettext as _

from shared_apps.directory.parsers.checks import RowChecker
from shared_apps.directory.parsers.model import (
    GUARDIAN,
    MAX_CLASS,
    MAX_GROUP,
    MAX_ID,
    MAX_NAME,
    MAX_SUBJECT_CODE,
    MAX_SUBJECT_NAME,
    STAFF,
    STUDENT,
    AssignmentRow,
    LinkRow,
    ParsedFile,
    PersonRow,
    SubjectRow,
    name_key,
)
from shared_apps.identity.models import ResponsibilityLevel
from tenants.uai import uai_normalize

ALIASES = {
    "id": "id",
    "identifiant": "id",
    "national_id": "national_id",
    "ine": "national_id",
    "id_national": "national_id",
    "last_name": "last_name",
    "nom": "last_name",
    "nom_de_famille": "last_name",
    "first_name": "first_name",
    "prenom": "first_name",
    "birth_date": "birth_date",
    "date_naissance": "birth_date",
    "date_de_naissance": "birth_date",
    "email": "email",
    "e_mail": "email",
    "mail": "email",
    "courriel": "email",
    "class": "class",
    "classe": "class",
    "division": "class",
    "student_id": "student_id",
    "eleve_id": "student_id",
    "responsibility": "responsibility",
    "responsabilite": "responsibility",
    "may_act": "may_act",
    "peut_agir": "may_act",
    "functions": "functions",
    "fonctions": "functions",
    "fonction": "functions",
    "uai": "uai",
    "name": "name",
    "groups": "groups",
    "groupes": "groups",
    "group": "group",
    "groupe": "group",
    "teacher_id": "teacher_id",
    "enseignant_id": "teacher_id",
    "id_enseignant": "teacher_id",
    "subject_code": "subject_code",
    "code_matiere": "subject_code",
    "subject_name": "subject_name",
    "subject": "subject_name",
    "matiere": "subject_name",
    "libelle_matiere": "subject_name",
}
REQUIRED = {
    "students": ("id", "last_name", "first_name", "class"),
    "guardians": ("id", "last_name", "first_name", "student_id", "responsibility"),
    "staff": ("id", "last_name", "first_name", "functions"),
    "teaching": ("teacher_id", "subject_code"),
    "establishment": ("uai",),
}
GROUPS_SEPARATOR = "|"


def _kind(columns: set[str]) -> str:
    if "teacher_id" in columns or "subject_code" in columns:
        return "teaching"
    if "functions" in columns:
        return "staff"
    if "student_id" in columns:
        return "guardians"
    if "class" in columns:
        return "students"
    if "uai" in columns:
        return "establishment"
    return ""


def _decode(parsed: ParsedFile, data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        RowChecker(parsed).fatal(line, "file", _("This file is not UTF-8 text: export or save it as UTF-8."))
        return None


def parse_csv(name: str, data: bytes) -> ParsedFile:
    parsed = ParsedFile(name=name, format="csv")
    check = RowChecker(parsed)
    text = _decode(parsed, data)
    if text is None:
        return parsed
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if header is None:
            check.fatal(1, "file", _("This file is empty."))
            return parsed
        columns = [ALIASES.get(name_key(h).replace(" ", "_"), name_key(h).replace(" ", "_")) for h in header]
        parsed.kind = _kind(set(columns))
        if not parsed.kind:
            check.fatal(
                1, "header", _("Cannot tell the kind of file from its header (see the documented columns).")
            )
            return parsed
        missing = [c for c in REQUIRED[parsed.kind] if c not in columns]
        if parsed.kind == "teaching" and not {"class", "group", "groups"} & set(columns):
            missing.append(_("class or group"))
        if missing:
            check.fatal(1, "header", _("Missing column(s): %(columns)s.") % {"columns": ", ".join(missing)})
            return parsed
        # A students file carries the groups when it has the column (else they are left alone).
        parsed.carries_groups = parsed.kind == "students" and bool({"groups", "group"} & set(columns))
        parsed.carries_assignments = parsed.kind == "teaching"
        subjects: dict[str, SubjectRow] = {}
        seen: dict[str, PersonRow] = {}
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(columns):
                check.error(
                    line,
                    "row",
                    _("%(values)d values for %(columns)d columns.")
                    % {"values": len(values), "columns": len(columns)},
                )
                _skip_row(parsed, check, dict(zip(columns, values, strict=False)), line)
                continue
            spoilt = [column for column, value in zip(columns, values, strict=False) if "\x00" in value]
            if spoilt:  # never stored (PostgreSQL refuses it): the line is named, the others go on
                check.error(
                    line,
                    spoilt[0],
                    _("This cell holds a NUL character: remove it, or export the file again."),
                )
                clean = [value.replace("\x00", "") for value in values]
                _skip_row(parsed, check, dict(zip(columns, clean, strict=False)), line)
                continue
            row = dict(zip(columns, values, strict=False))
            if parsed.kind == "teaching":
                _teaching_row(parsed, check, row, line, subjects)
            else:
                _row(parsed, check, row, line, seen)
    except csv.Error as error:
        check.fatal(reader.line_num, "row", _("Unreadable CSV: %(error)s.") % {"error": error})
    check.finish()
    return parsed


def _skip_row(parsed: ParsedFile, check: RowChecker, row: dict[str, str], line: int) -> None:
    """A row that cannot be read at all: skipped, with what it says of its person."""
    if parsed.kind == "teaching":
        check.keep_assignment(None, (row.get("teacher_id") or "").strip())
        return
    family = {"students": STUDENT, "guardians": GUARDIAN, "staff": STAFF}.get(parsed.kind)
    if family is None:
        check.finish()
        return
    person = PersonRow(
        family,
        (row.get("id") or "").strip(),
        (row.get("last_name") or "").strip(),
        (row.get("first_name") or "").strip(),
        national_id=(row.get("national_id") or "").strip().upper(),
        file=parsed.name,
        line=line,
    )
    check.keep_person(person)


def _row(
    parsed: ParsedFile, check: RowChecker, row: dict[str, str], line: int, seen: dict[str, PersonRow]
) -> None:
    if parsed.kind == "establishment":
        parsed.uai = uai_normalize(row.get("uai", ""))
        return
    family = {"students": STUDENT, "guardians": GUARDIAN, "staff": STAFF}[parsed.kind]
    source_id = check.text(line, "id", row.get("id"), required=True, limit=MAX_ID)
    person = PersonRow(
        family=family,
        source_id=source_id,
        last_name=check.text(line, "last_name", row.get("last_name"), required=True, limit=MAX_NAME),
        first_name=check.text(line, "first_name", row.get("first_name"), required=True, limit=MAX_NAME),
        national_id=check.national_id(line, row.get("national_id")),
        birth_date=check.birth_date(line, row.get("birth_date")),
        email=check.email(line, row.get("email")),
        file=parsed.name,
        line=line,
    )
    if family == STUDENT:
        person.class_name = check.text(line, "class", row.get("class"), required=True, limit=MAX_CLASS)
        listed = row.get("groups") or row.get("group") or ""
        for value in listed.split(GROUPS_SEPARATOR):
            name = check.text(line, "groups", value, required=False, limit=MAX_GROUP)
            if name and name not in person.groups:
                person.groups.append(name)
    elif family == STAFF:
        codes = [c for c in re.split(r"[|,;/ ]+", row.get("functions", "")) if c]
        person.roles = check.roles(line, codes)
    if family == GUARDIAN:
        first = seen.get(source_id)
        if first is not None and (first.last_name, first.first_name) != (person.last_name, person.first_name):
            check.error(
                line,
                "last_name",
                _("Guardian %(id)r has another name at line %(line)s.")
                % {"id": source_id, "line": first.line},
            )
        if check.pending:  # the person cannot be read: the row (and its link) is skipped
            check.keep_person(person)
            return
        student_id = check.text(line, "student_id", row.get("student_id"), required=True, limit=MAX_ID)
        level = check.responsibility(line, row.get("responsibility"))
        can_act = check.flag(line, "may_act", row.get("may_act"), default=level == ResponsibilityLevel.LEGAL)
        check.keep_link(LinkRow(source_id, student_id, level, can_act, parsed.name, line))
        if first is not None:  # one more child of a guardian already read
            check.drop()
            return
        seen[source_id] = person
        check.keep_person(person)
        return
    seen[source_id] = person
    check.keep_person(person)


def _teaching_row(
    parsed: ParsedFile, check: RowChecker, row: dict[str, str], line: int, subjects: dict[str, SubjectRow]
) -> None:
    """One row: a teacher teaches a subject to a class or to a group."""
    teacher_id = check.text(line, "teacher_id", row.get("teacher_id"), required=True, limit=MAX_ID)
    code = check.text(line, "subject_code", row.get("subject_code"), required=True, limit=MAX_SUBJECT_CODE)
    name = check.text(line, "subject_name", row.get("subject_name"), required=False, limit=MAX_SUBJECT_NAME)
    class_name = check.text(line, "class", row.get("class"), required=False, limit=MAX_CLASS)
    group_name = check.text(
        line, "group", row.get("group") or row.get("groups"), required=False, limit=MAX_GROUP
    )
    if bool(class_name) == bool(group_name):
        check.error(line, "class", _("Give a class or a group (one of them)."))
    if code and name and not check.pending:
        first = subjects.get(code)
        if first is None:
            subjects[code] = SubjectRow(code, name, parsed.name, line)
            parsed.subjects.append(subjects[code])
        elif first.name != name:
            check.error(
                line,
                "subject_name",
                _("Subject %(code)r is named %(name)r at line %(line)s.")
                % {"code": code, "name": first.name, "line": first.line},
            )
    check.keep_assignment(
        AssignmentRow(teacher_id, code, class_name, group_name, parsed.name, line), teacher_id
    )
