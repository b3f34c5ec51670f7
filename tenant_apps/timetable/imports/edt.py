"""Index Éducation's EDT export for ENTs: the XML document ``ExportEmploiDuTemps`` (namespace
``http://www.index-education.com/exportemploidutemps``, ``Version="1.1"``, ``UAI``).

What is read: the school year (``AnneeScolaire DatePremierJourSemaine1``: the Monday of week 1),
the time grid (``GrilleHoraire DureePlace`` and its ``Place Numero LibelleHeureDebut
LibelleHeureFin``; its ``Jour`` elements name the working days when they carry a label), the
lists ``Matiere``, ``Professeur``, ``Classe`` (with its ``PartieDeClasse``), ``Groupe``, ``Salle``
by ``Ident``, and each ``Cours Jour NumeroPlaceDebut NombrePlaces`` whose participants
(``Matiere``, ``Professeur``, ``Classe``, ``PartieDeClasse``, ``Groupe``, ``Salle``) each carry
``Semaines``: a bit set of the year's weeks (bit n, of value 2ⁿ, for week n counted from
``DatePremierJourSemaine1``), less the course's ``SemainesAnnulation``. A course whose
participants differ from week to week (a room on some weeks only) becomes one lesson per set
of weeks with the same participants. ``Jour`` counts from 1 for Monday (0-based files, with a
``Jour="0"``, are recognised).

The export is often delivered inside an encrypted container (root ``ConteneurExportChiffre``)
that only the publisher's partners can open: it is recognised and refused with that reason.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from xml.etree.ElementTree import Element

from django.utils.translation import gettext as _

from tenant_apps.timetable.imports.rows import (
    ImportRow,
    ParsedTimetable,
    add_minutes,
    mondays_of_bits,
    parse_day,
    parse_time,
)
from tenant_apps.timetable.imports.xmltree import attr, line_of

NAMESPACE = "http://www.index-education.com/exportemploidutemps"
ROOT = "ExportEmploiDuTemps"
ENCRYPTED_ROOT = "ConteneurExportChiffre"
PARTICIPANTS = ("Matiere", "Professeur", "Classe", "PartieDeClasse", "Groupe", "Salle")


def _names(root: Element, tag: str, name_attrs: tuple[str, ...]) -> dict[str, str]:
    found: dict[str, str] = {}
    for element in root.iter(tag):
        ident = element.get("Ident")
        if ident and element.get("Semaines") is None:  # a list entry, not a course's participant
            found[ident] = attr(element, *name_attrs) or ident
    return found


def _teacher_names(root: Element) -> dict[str, str]:
    found: dict[str, str] = {}
    for element in root.iter("Professeur"):
        ident = element.get("Ident")
        if ident and element.get("Semaines") is None:
            full = " ".join(p for p in (attr(element, "Prenom"), attr(element, "Nom")) if p)
            found[ident] = full or ident
    return found


def _grid(
    parsed: ParsedTimetable, root: Element
) -> tuple[dict[str, tuple[datetime.time, datetime.time]], int]:
    places: dict[str, tuple[datetime.time, datetime.time]] = {}
    grid = root.find(".//GrilleHoraire")
    if grid is None:
        parsed.error(line_of(root), "GrilleHoraire", _("The time grid (GrilleHoraire) is missing."))
        return places, 0
    duration = int(grid.get("DureePlace") or 0) if (grid.get("DureePlace") or "0").isdigit() else 0
    for place in grid.iter("Place"):
        try:
            start = parse_time(place.get("LibelleHeureDebut") or "")
            end = (
                parse_time(place.get("LibelleHeureFin") or "")
                if place.get("LibelleHeureFin")
                else add_minutes(start, duration)
            )
        except ValueError as error:
            parsed.error(line_of(place), "Place", str(error))
            continue
        places[place.get("Numero") or ""] = (start, end)
    return places, duration


def _days(root: Element) -> dict[str, int]:
    """Working days named in the grid (``Jour Numero Libelle``), when they are."""
    found: dict[str, int] = {}
    for day in root.findall(".//GrilleHoraire/Jour"):
        label, number = attr(day, "Libelle", "Nom"), day.get("Numero") or day.get("Ident") or ""
        if label and number:
            try:
                found[number] = parse_day(label)
            except ValueError:
                continue
    return found


def parse_edt(root: Element) -> ParsedTimetable:
    parsed = ParsedTimetable(source_format="edt", uai=(root.get("UAI") or "").upper())
    year = root.find(".//AnneeScolaire")
    try:
        week1 = datetime.date.fromisoformat(
            ((year.get("DatePremierJourSemaine1") if year is not None else "") or "")[:10]
        )
    except ValueError:
        parsed.error(
            line_of(year if year is not None else root),
            "DatePremierJourSemaine1",
            _("The first week of the year (AnneeScolaire DatePremierJourSemaine1) is missing or not a date."),
        )
        return parsed
    places, duration = _grid(parsed, root)
    days = _days(root)
    subjects = _names(root, "Matiere", ("Libelle", "Nom", "Code"))
    codes = {k: v for k, v in ((e.get("Ident"), attr(e, "Code")) for e in root.iter("Matiere")) if k and v}
    teachers = _teacher_names(root)
    labels = {
        "Classe": _names(root, "Classe", ("Nom",)),
        "PartieDeClasse": _names(root, "PartieDeClasse", ("Nom",)),
        "Groupe": _names(root, "Groupe", ("Nom",)),
        "Salle": _names(root, "Salle", ("Nom",)),
    }
    courses = [c for c in root.iter("Cours") if c.get("Jour") is not None]
    zero_based = any((c.get("Jour") or "").strip() == "0" for c in courses)
    for course in courses:
        _course(
            parsed,
            course,
            week1=week1,
            places=places,
            duration=duration,
            days=days,
            zero_based=zero_based,
            subjects=subjects,
            codes=codes,
            teachers=teachers,
            labels=labels,
        )
    return parsed


def _course(
    parsed: ParsedTimetable,
    course: Element,
    *,
    week1: datetime.date,
    places: dict[str, tuple[datetime.time, datetime.time]],
    duration: int,
    days: dict[str, int],
    zero_based: bool,
    subjects: dict[str, str],
    codes: dict[str, str],
    teachers: dict[str, str],
    labels: dict[str, dict[str, str]],
) -> None:
    line = line_of(course)
    number = (course.get("Jour") or "").strip()
    try:
        weekday = days[number] if number in days else parse_day(number, first=0 if zero_based else 1)
        first = course.get("NumeroPlaceDebut") or ""
        count = int(course.get("NombrePlaces") or "1")
        if first not in places:
            raise ValueError(_("Unknown place %(place)s of the time grid.") % {"place": first})
        start = places[first][0]
        last = str(int(first) + count - 1) if first.isdigit() else first
        end = places[last][1] if last in places else add_minutes(start, duration * count)
        cancelled = int(course.get("SemainesAnnulation") or "0")
    except ValueError as error:
        parsed.error(line, "Cours", str(error))
        return
    # Each participant's weeks; the course splits where its participants change.
    by_week: dict[int, list[tuple[str, str]]] = defaultdict(list)
    subject = ""
    for tag in PARTICIPANTS:
        for part in course.findall(tag):
            ident = part.get("Ident") or ""
            bits_text = part.get("Semaines")
            try:
                bits = int(bits_text) if bits_text is not None else -1
            except ValueError:
                parsed.error(
                    line_of(part), "Semaines", _("“%(value)s” is not a set of weeks.") % {"value": bits_text}
                )
                return
            if tag == "Matiere":
                subject = ident
            weeks = range(1, 64) if bits == -1 else [n for n in range(1, 64) if bits >> n & 1]
            for n in weeks:
                if not cancelled >> n & 1:
                    by_week[n].append((tag, ident))
    if subject not in subjects:
        parsed.error(line, "Matiere", _("The course has no known subject (Matiere)."))
        return
    groups: dict[tuple[tuple[str, str], ...], list[int]] = defaultdict(list)
    for n, parts in by_week.items():
        key = tuple(sorted(set(parts)))
        if any(tag == "Professeur" for tag, _i in key):
            groups[key].append(n)
    if not groups:
        parsed.error(line, "Professeur", _("The course has no teacher (Professeur) in any week."))
        return
    for key, weeks in sorted(groups.items(), key=lambda item: min(item[1])):
        named = {tag: [i for t, i in key if t == tag] for tag in PARTICIPANTS}
        parsed.rows.append(
            ImportRow(
                line=line or 0,
                weekday=weekday,
                start=start,
                end=end,
                subject_code=codes.get(subject, subject),
                subject_name=subjects[subject],
                teachers=[teachers.get(i, i) for i in named["Professeur"]],
                classes=[labels["Classe"].get(i, i) for i in named["Classe"]],
                groups=[labels["PartieDeClasse"].get(i, i) for i in named["PartieDeClasse"]]
                + [labels["Groupe"].get(i, i) for i in named["Groupe"]],
                room=labels["Salle"].get(named["Salle"][0], named["Salle"][0]) if named["Salle"] else "",
                mondays=mondays_of_bits(sum(1 << n for n in weeks), week1),
            )
        )
