"""STS-web's timetable file ``EDT_STS`` (``emp_sts_<UAI>_<year>.xml``: what the timetable
software sends to STS-web), as the ENTs read it:

- ``PARAMETRES/UAJ``: the establishment;
- ``NOMENCLATURES/MATIERES/MATIERE CODE`` with ``CODE_GESTION`` and ``LIBELLE_COURT``/``LIBELLE_LONG``;
- ``NOMENCLATURES/ALTERNANCES/ALTERNANCE CODE`` with ``SEMAINES/SEMAINE/DATE_DEBUT_SEMAINE``: the
  Mondays of its weeks (code ``H``, hebdomadaire, without weeks: every week);
- ``INDIVIDUS/INDIVIDU ID`` with ``NOM_USAGE`` and ``PRENOM``;
- ``STRUCTURE/DIVISIONS/DIVISION CODE`` and ``STRUCTURE/GROUPES/GROUPE CODE`` (its
  ``DIVISIONS_APPARTENANCE``), each with ``SERVICES/SERVICE CODE_MATIERE`` /
  ``ENSEIGNANTS/ENSEIGNANT ID`` / ``COURS_RATTACHES/COURS`` of ``CODE_ALTERNANCE``, ``JOUR``
  (1 = Monday), ``HEURE_DEBUT`` (``0800`` or ``08:00``), ``DUREE`` (``0100`` as hours and minutes,
  or minutes) and ``CODE_SALLE``.

The same course under two teachers (same audience, subject, day, time, weeks and room) is one
co-taught lesson.
"""

from __future__ import annotations

import datetime
from xml.etree.ElementTree import Element

from django.utils.translation import gettext as _

from tenant_apps.timetable.imports.rows import ImportRow, ParsedTimetable, add_minutes, parse_day, parse_time
from tenant_apps.timetable.imports.xmltree import attr, line_of

ROOT = "EDT_STS"
WEEKLY = "H"


def _duration(text: str) -> int:
    value = text.strip().replace(":", "").replace("h", "").replace("H", "")
    if not value.isdigit():
        raise ValueError(_("“%(value)s” is not a duration (e.g. 0100 or 60).") % {"value": text})
    minutes = int(value[:-2] or "0") * 60 + int(value[-2:]) if len(value) == 4 else int(value)
    if not 0 < minutes <= 600:
        raise ValueError(_("“%(value)s” is not a duration (e.g. 0100 or 60).") % {"value": text})
    return minutes


def _alternances(parsed: ParsedTimetable, root: Element) -> dict[str, list[datetime.date] | None]:
    found: dict[str, list[datetime.date] | None] = {WEEKLY: None}
    for alternance in root.iter("ALTERNANCE"):
        mondays: list[datetime.date] = []
        for week in alternance.iter("DATE_DEBUT_SEMAINE"):
            text = (week.text or "").strip()
            try:
                if "/" in text:
                    dd, mm, yyyy = text.split("/")
                    day = datetime.date(int(yyyy), int(mm), int(dd))
                else:
                    day = datetime.date.fromisoformat(text[:10])
            except ValueError:
                parsed.error(
                    line_of(week), "DATE_DEBUT_SEMAINE", _("“%(value)s” is not a date.") % {"value": text}
                )
                continue
            mondays.append(day - datetime.timedelta(days=day.weekday()))
        found[alternance.get("CODE") or ""] = mondays or None
    return found


def parse_sts(root: Element) -> ParsedTimetable:
    parsed = ParsedTimetable(source_format="sts", uai=attr(root.find("PARAMETRES") or root, "UAJ").upper())
    subjects = {
        m.get("CODE") or "": (
            attr(m, "CODE_GESTION") or m.get("CODE") or "",
            attr(m, "LIBELLE_LONG", "LIBELLE_COURT"),
        )
        for m in root.iter("MATIERE")
        if m.get("CODE")
    }
    people = {
        i.get("ID") or "": " ".join(
            p for p in (attr(i, "PRENOM"), attr(i, "NOM_USAGE", "NOM_PATRONYMIQUE")) if p
        )
        for i in root.iter("INDIVIDU")
        if i.get("ID")
    }
    alternances = _alternances(parsed, root)
    merged: dict[tuple[object, ...], ImportRow] = {}
    for kind in ("DIVISION", "GROUPE"):
        for audience in root.iter(kind):
            code = audience.get("CODE") or ""
            for service in audience.iter("SERVICE"):
                subject = service.get("CODE_MATIERE") or ""
                for teacher in service.iter("ENSEIGNANT"):
                    for course in teacher.iter("COURS"):
                        row = _course(
                            parsed,
                            course,
                            kind=kind,
                            audience=code,
                            subject=subject,
                            subjects=subjects,
                            alternances=alternances,
                            teacher=people.get(teacher.get("ID") or "", teacher.get("ID") or ""),
                        )
                        if row is None:
                            continue
                        key = (
                            kind,
                            code,
                            row.subject_code,
                            row.weekday,
                            row.start,
                            row.end,
                            row.room,
                            row.rule,
                            tuple(row.mondays),
                        )
                        if key in merged:
                            merged[key].teachers += [t for t in row.teachers if t not in merged[key].teachers]
                        else:
                            merged[key] = row
    parsed.rows = sorted(merged.values(), key=lambda r: r.line)
    return parsed


def _course(
    parsed: ParsedTimetable,
    course: Element,
    *,
    kind: str,
    audience: str,
    subject: str,
    subjects: dict[str, tuple[str, str]],
    alternances: dict[str, list[datetime.date] | None],
    teacher: str,
) -> ImportRow | None:
    line = line_of(course)
    if subject not in subjects:
        parsed.error(line, "CODE_MATIERE", _("Unknown subject code %(code)s.") % {"code": subject})
        return None
    alternance = attr(course, "CODE_ALTERNANCE") or WEEKLY
    if alternance not in alternances:
        parsed.error(line, "CODE_ALTERNANCE", _("Unknown alternance %(code)s.") % {"code": alternance})
        return None
    try:
        weekday = parse_day(attr(course, "JOUR"))
        start = parse_time(attr(course, "HEURE_DEBUT"))
        end = add_minutes(start, _duration(attr(course, "DUREE")))
    except ValueError as error:
        parsed.error(line, "COURS", str(error))
        return None
    mondays = alternances[alternance]
    code, name = subjects[subject]
    return ImportRow(
        line=line or 0,
        weekday=weekday,
        start=start,
        end=end,
        subject_code=code,
        subject_name=name or code,
        teachers=[teacher],
        classes=[audience] if kind == "DIVISION" else [],
        groups=[audience] if kind == "GROUPE" else [],
        room=attr(course, "CODE_SALLE"),
        rule="every" if mondays is None else "",
        mondays=mondays or [],
    )
