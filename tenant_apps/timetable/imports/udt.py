"""UDT's export for ENTs. UDT writes its timetable as XML records (its "UDCal" files): the
school year's first ISO week, the time slots, teachers, subjects, classes (divisions), groups,
rooms and the lessons. We read those records gathered in one XML document, root ``UDT`` (or
``udt``), attribute ``premiere_semaine_ISO`` (the ISO week number of the year's first week) and
``annee`` (the calendar year it starts in):

- ``plage code_jour code hre_deb hre_fin``: a slot of a day (``code_jour`` 1 = Monday);
- ``prof code nom prenom``, ``mat code libelle``, ``div code libelle``,
  ``gpe code_div code nom``, ``salle code nom``;
- ``cours div gpe mat prof coens salle jour plage nb_plages semaines``: a lesson of class
  ``div`` (or of its group ``gpe``), subject ``mat``, teacher ``prof`` (and co-teachers
  ``coens``, codes separated by spaces), from slot ``plage`` of day ``jour`` for ``nb_plages``
  slots, in ``semaines``: ISO week numbers and ranges ("36-42 45-51"; empty: every week).
"""

from __future__ import annotations

import datetime
from xml.etree.ElementTree import Element

from django.utils.translation import gettext as _

from tenant_apps.timetable.imports.rows import ImportRow, ParsedTimetable, parse_day, parse_time
from tenant_apps.timetable.imports.xmltree import line_of

ROOTS = ("UDT", "udt")


def _iso_mondays(text: str, *, year: int, first_week: int) -> list[datetime.date]:
    """ISO weeks ("36-42 45-51", wrapping into the next calendar year below ``first_week``)."""
    mondays: list[datetime.date] = []
    for part in text.replace(",", " ").split():
        low, _sep, high = part.partition("-")
        if not low.isdigit() or (high and not high.isdigit()):
            raise ValueError(_("“%(value)s” is not a list of weeks.") % {"value": text})
        for week in range(int(low), int(high or low) + 1):
            if not 1 <= week <= 53:
                raise ValueError(_("“%(value)s” is not a list of weeks.") % {"value": text})
            calendar_year = year if week >= first_week else year + 1
            mondays.append(datetime.date.fromisocalendar(calendar_year, week, 1))
    return mondays


def parse_udt(root: Element) -> ParsedTimetable:
    parsed = ParsedTimetable(source_format="udt")
    try:
        year, first_week = int(root.get("annee") or ""), int(root.get("premiere_semaine_ISO") or "")
    except ValueError:
        parsed.error(
            line_of(root),
            "annee",
            _("The year (annee) and its first ISO week (premiere_semaine_ISO) are required."),
        )
        return parsed
    slots: dict[tuple[str, str], tuple[datetime.time, datetime.time, int]] = {}
    for slot in root.iter("plage"):
        try:
            day = parse_day(slot.get("code_jour") or "")
            slots[(str(day), slot.get("code") or "")] = (
                parse_time(slot.get("hre_deb") or ""),
                parse_time(slot.get("hre_fin") or ""),
                day,
            )
        except ValueError as error:
            parsed.error(line_of(slot), "plage", str(error))
    names = {
        "prof": {
            p.get("code") or "": " ".join(x for x in (p.get("prenom"), p.get("nom")) if x)
            for p in root.iter("prof")
        },
        "mat": {m.get("code") or "": m.get("libelle") or m.get("code") or "" for m in root.iter("mat")},
        "div": {d.get("code") or "": d.get("libelle") or d.get("code") or "" for d in root.iter("div")},
        "gpe": {
            (g.get("code_div") or "") + "/" + (g.get("code") or ""): g.get("nom") or g.get("code") or ""
            for g in root.iter("gpe")
        },
        "salle": {s.get("code") or "": s.get("nom") or s.get("code") or "" for s in root.iter("salle")},
    }
    for lesson in root.iter("cours"):
        line = line_of(lesson)
        try:
            day_key = str(parse_day(lesson.get("jour") or ""))
            first = lesson.get("plage") or ""
            count = int(lesson.get("nb_plages") or "1")
            if (day_key, first) not in slots:
                raise ValueError(_("Unknown slot %(slot)s of that day.") % {"slot": first})
            start, end, weekday = slots[(day_key, first)]
            if count > 1 and first.isdigit():
                last = str(int(first) + count - 1).zfill(len(first))
                if (day_key, last) not in slots:
                    raise ValueError(_("Unknown slot %(slot)s of that day.") % {"slot": last})
                end = slots[(day_key, last)][1]
            weeks = (lesson.get("semaines") or "").strip()
            mondays = _iso_mondays(weeks, year=year, first_week=first_week) if weeks else []
        except ValueError as error:
            parsed.error(line, "cours", str(error))
            continue
        subject = lesson.get("mat") or ""
        if subject not in names["mat"]:
            parsed.error(line, "mat", _("Unknown subject code %(code)s.") % {"code": subject})
            continue
        teachers = [lesson.get("prof") or "", *(lesson.get("coens") or "").split()]
        division, group = lesson.get("div") or "", lesson.get("gpe") or ""
        parsed.rows.append(
            ImportRow(
                line=line or 0,
                weekday=weekday,
                start=start,
                end=end,
                subject_code=subject,
                subject_name=names["mat"][subject],
                teachers=[names["prof"].get(t, t) for t in teachers if t],
                classes=[] if group else [names["div"].get(division, division)],
                groups=[names["gpe"].get(f"{division}/{group}", group)] if group else [],
                room=names["salle"].get(lesson.get("salle") or "", lesson.get("salle") or ""),
                rule="" if mondays else "every",
                mondays=mondays,
            )
        )
    return parsed
