"""The documented CSV (UTF-8, with or without BOM; comma or semicolon): one lesson a line, a
header line naming the columns (English or French names):

| column | French | value |
|---|---|---|
| ``day`` | ``jour`` | 1 (Monday) to 6, or the day's name (``lundi``, ``monday``) |
| ``start``, ``end`` | ``debut``, ``fin`` | ``08:00`` (or ``8h00``) |
| ``subject`` | ``matiere`` | the subject's code (its name when it is new: ``subject_name``/``libelle``) |
| ``teacher`` | ``professeur`` | the teacher's name as in the directory ("Jeanne Dupont") |
| ``co_teachers`` | ``co_enseignants`` | more teachers, separated by ``|`` |
| ``classes`` | ``classes`` | classes, separated by ``|`` |
| ``groups`` | ``groupes`` | groups, separated by ``|`` |
| ``room`` | ``salle`` | a room (optional) |
| ``weeks`` | ``semaines`` | ``every`` (or empty), ``A``, ``B``, or weeks of the year: ``1-7,10-16`` |

Required: day, start, end, subject, teacher, and a class or a group.
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from tenant_apps.timetable.imports.rows import MAX_ROWS, ImportRow, ParsedTimetable, parse_day, parse_time
from tenant_apps.timetable.weeks import week_set_parse

COLUMNS = {
    "day": ("day", "jour"),
    "start": ("start", "debut", "début"),
    "end": ("end", "fin"),
    "subject": ("subject", "matiere", "matière"),
    "subject_name": ("subject_name", "libelle", "libellé"),
    "teacher": ("teacher", "professeur", "enseignant"),
    "co_teachers": ("co_teachers", "co_enseignants"),
    "classes": ("classes", "classe", "class"),
    "groups": ("groups", "groupes", "groupe", "group"),
    "room": ("room", "salle"),
    "weeks": ("weeks", "semaines"),
}
REQUIRED = ("day", "start", "end", "subject", "teacher")


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


def parse_csv(data: bytes) -> ParsedTimetable:
    parsed = ParsedTimetable(source_format="csv")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        parsed.error(None, "file", _("The file is not UTF-8 text."))
        return parsed
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter=";" if first.count(";") > first.count(",") else ",")
    rows = list(reader)
    if not rows:
        parsed.error(None, "file", _("The file is empty."))
        return parsed
    header = [h.strip().lower() for h in rows[0]]
    where: dict[str, int] = {}
    for name, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in header:
                where[name] = header.index(alias)
                break
    missing = [name for name in REQUIRED if name not in where]
    if missing or ("classes" not in where and "groups" not in where):
        names = ", ".join(missing or ["classes/groups"])
        parsed.error(1, "header", _("Missing columns: %(names)s.") % {"names": names})
        return parsed
    if len(rows) - 1 > MAX_ROWS:
        parsed.error(None, "file", _("More than %(max)s lessons in one file.") % {"max": MAX_ROWS})
        return parsed
    for number, values in enumerate(rows[1:], start=2):
        if not any(v.strip() for v in values):
            continue

        def cell(name: str, values: list[str] = values) -> str:
            index = where.get(name)
            return values[index].strip() if index is not None and index < len(values) else ""

        try:
            weekday = parse_day(cell("day"))
            start, end = parse_time(cell("start")), parse_time(cell("end"))
            weeks = week_set_parse(cell("weeks"))
        except ValueError as error:
            parsed.error(number, "day/start/end/weeks", str(error))
            continue
        if not cell("subject") or not cell("teacher") or not (cell("classes") or cell("groups")):
            parsed.error(
                number,
                "subject/teacher/classes",
                _("A subject, a teacher and a class or a group are required."),
            )
            continue
        parsed.rows.append(
            ImportRow(
                line=number,
                weekday=weekday,
                start=start,
                end=end,
                subject_code=cell("subject"),
                subject_name=cell("subject_name") or cell("subject"),
                teachers=[cell("teacher"), *_split(cell("co_teachers"))],
                classes=_split(cell("classes")),
                groups=_split(cell("groups")),
                room=cell("room"),
                rule=str(weeks),
            )
        )
    return parsed
