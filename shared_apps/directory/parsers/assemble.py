"""One directory from the parsed files: what only the whole can tell.

- Two files of the same kind refuse the import.
- Rows sharing an identifier (or a national identifier, or a guardian-student pair) are all
  skipped: which one is right cannot be told, and the person keeps what they had.
- Skipping is refused where it is not safe: a class or group that several skipped rows need
  (correct it in the files), or more than one person or link in ten of a file (the file is
  probably not the one meant): the rows are then the file's errors.
- The SIECLE MEFs tell the classes' levels; the students' language options become groups.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from django.utils.translation import gettext as _

from shared_apps.directory.parsers.mefs import mef_level, option_group
from shared_apps.directory.parsers.model import (
    GUARDIAN,
    LINK,
    PERSON,
    STAFF,
    STUDENT,
    Directory,
    ParsedFile,
    PersonRow,
    RowError,
    SkippedRow,
    skipped_person,
)

FAMILY_KINDS = ((STUDENT, "students"), (GUARDIAN, "guardians"), (STAFF, "staff"))
MAX_SKIPPED_SHARE = 10  # more than one row in `MAX_SKIPPED_SHARE` skipped refuses a file


def directory_assemble(files: list[ParsedFile]) -> Directory:
    """Merge the parsed files; check what only the whole can tell."""
    directory = Directory()
    kinds: dict[str, str] = {}
    for parsed in files:
        directory.errors.extend(parsed.errors)
        directory.files.append(
            {"name": parsed.name, "format": parsed.format, "kind": parsed.kind, "rows": len(parsed.people)}
        )
        if parsed.kind and parsed.kind in kinds:
            directory.errors.append(
                RowError(
                    parsed.name,
                    None,
                    "file",
                    _("A second %(kind)s file (after %(first)s).")
                    % {"kind": parsed.kind, "first": kinds[parsed.kind]},
                )
            )
        kinds.setdefault(parsed.kind, parsed.name)
        if parsed.uai:
            directory.uais.append(parsed.uai)
        directory.people.extend(parsed.people)
        directory.links.extend(parsed.links)
        directory.skipped.extend(parsed.skipped)
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
    directory.families = [family for family, kind in FAMILY_KINDS if kind in kinds]
    _skip_duplicates(directory)
    _mefs_and_options(directory, files)
    _refuse_unsafe_skips(directory, files)
    return directory


def _skip_duplicates(directory: Directory) -> None:
    by_source: dict[tuple[str, str], list[PersonRow]] = defaultdict(list)
    by_national: dict[tuple[str, str], list[PersonRow]] = defaultdict(list)
    for person in directory.people:
        by_source[(person.family, person.source_id)].append(person)
        if person.national_id:
            by_national[(person.family, person.national_id)].append(person)
    dropped: set[int] = set()
    for (_family, source_id), rows in by_source.items():
        if len(rows) > 1:
            lines = ", ".join(str(p.line) for p in rows)
            message = _("Identifier %(id)r is used by several rows (lines %(lines)s): they are skipped.") % {
                "id": source_id,
                "lines": lines,
            }
            _drop(directory, rows, "id", message, dropped)
    for (_family, _nid), rows in by_national.items():
        if len(rows) > 1:
            where = ", ".join(f"{p.file}:{p.line}" for p in rows)
            message = _("National identifier used by several rows (%(where)s): they are skipped.") % {
                "where": where
            }
            _drop(directory, rows, "national_id", message, dropped)
    directory.people = [p for p in directory.people if id(p) not in dropped]
    pairs = Counter((link.guardian_id, link.student_id) for link in directory.links)
    kept = []
    for link in directory.links:
        if pairs[(link.guardian_id, link.student_id)] > 1:
            directory.skipped.append(
                SkippedRow(
                    link.file,
                    link.line,
                    "student_id",
                    _("This guardian is linked to this student by several rows: they are skipped."),
                    what=LINK,
                    source_id=link.guardian_id,
                    student_id=link.student_id,
                )
            )
        else:
            kept.append(link)
    directory.links = kept


def _drop(directory: Directory, rows: list[PersonRow], field: str, message: str, dropped: set[int]) -> None:
    for person in rows:
        if id(person) not in dropped:
            dropped.add(id(person))
            directory.skipped.append(
                skipped_person(person, RowError(person.file, person.line, field, message), what=PERSON)
            )


def _mefs_and_options(directory: Directory, files: list[ParsedFile]) -> None:
    """Classes' levels from their MEF (the division's in Structures, else most of its students'),
    and a group per language option and level (its members: the students who take it)."""
    labels: dict[str, str] = {}
    division_mefs: dict[str, str] = {}
    student_mefs: dict[str, str] = {}
    options: dict[str, list[str]] = {}
    short: dict[str, str] = {}
    for parsed in files:
        labels.update(parsed.mef_labels)
        division_mefs.update(parsed.division_mefs)
        student_mefs.update(parsed.student_mefs)
        options.update(parsed.student_options)
        short.update(parsed.subject_short)
    if not (division_mefs or student_mefs):
        return
    per_class: dict[str, Counter[str]] = defaultdict(Counter)
    for person in directory.people:
        if person.family == STUDENT and person.class_name:
            level = mef_level(student_mefs.get(person.source_id, ""), labels)
            if level:
                per_class[person.class_name][level] += 1
    for class_name, mef in division_mefs.items():
        level = mef_level(mef, labels)
        if level:
            directory.class_levels[class_name] = level
    for class_name, levels in per_class.items():
        directory.class_levels.setdefault(class_name, levels.most_common(1)[0][0])
    for person in directory.people:
        if person.family != STUDENT:
            continue
        level = mef_level(student_mefs.get(person.source_id, ""), labels) or directory.class_levels.get(
            person.class_name, ""
        )
        for code in options.get(person.source_id, []):
            name = option_group(code, short.get(code, ""), level)
            if name and name not in person.groups:
                person.groups.append(name)
                if name not in directory.groups:
                    directory.groups.append(name)


def _refuse_unsafe_skips(directory: Directory, files: list[ParsedFile]) -> None:
    needed: dict[tuple[str, str], tuple[int, str]] = {}
    for parsed in files:
        for field, value, reason in parsed.unusable:
            count, _reason = needed.get((field, value), (0, reason))
            needed[(field, value)] = (count + 1, reason)
    for (field, value), (count, reason) in sorted(needed.items()):
        if count > 1:
            template = (
                _("Class %(name)r cannot be imported (%(reason)s) and %(count)d rows need it: correct it.")
                if field == "class"
                else _(
                    "Group %(name)r cannot be imported (%(reason)s) and %(count)d rows need it: correct it."
                )
            )
            directory.errors.append(
                RowError("", None, field, template % {"name": value, "reason": reason, "count": count})
            )
    for parsed in files:
        skipped = parsed.rows_skipped
        if skipped and skipped * MAX_SKIPPED_SHARE > parsed.rows:
            # Too many to skip: the rows are the file's errors, and refuse the import.
            rows = {id(s) for s in parsed.skipped if s.what in (PERSON, LINK)}
            directory.errors.extend(s.as_error() for s in parsed.skipped if id(s) in rows)
            directory.skipped = [s for s in directory.skipped if id(s) not in rows]
