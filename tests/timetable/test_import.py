"""Timetable import: EDT, STS-web's EDT_STS, UDT and CSV read into lessons, previewed (created,
changed, removed, conflicts, unknown names by line), applied in one transaction, idempotent,
re-imported mid-year (lessons with registers are ended, not deleted); malformed files are
refused with their errors by line and nothing written."""

from __future__ import annotations

import datetime

import pytest
from django_tenants.utils import schema_context

from mbn_platform.kernel.errors import Conflict
from shared_apps.audit.models import AuditEntry
from tenant_apps.timetable.models import ImportStatus, Lesson, TimetableImport
from tenant_apps.timetable.services import timetable_import_apply, timetable_import_preview
from tests.timetable.helpers import School
from tests.timetable.import_files import ENCRYPTED, Course, bits, csv_file, edt_xml, sts_xml, udt_xml

D = datetime.date


def preview(school: School, data: bytes, name: str = "edt.xml", from_day: D | None = None) -> TimetableImport:
    with schema_context(school.establishment.schema_name):
        return timetable_import_preview(actor=None, year=school.year, name=name, data=data, from_day=from_day)


def apply(school: School, imp: TimetableImport) -> TimetableImport:
    with schema_context(school.establishment.schema_name):
        return timetable_import_apply(actor=None, imp=imp)


def lessons(school: School) -> list[tuple]:
    with schema_context(school.establishment.schema_name):
        return sorted(
            (
                lesson.weekday,
                lesson.start_time.strftime("%H:%M"),
                lesson.end_time.strftime("%H:%M"),
                lesson.subject.code,
                lesson.audience_name,
                lesson.room.name if lesson.room else "",
                lesson.weeks,
                lesson.participants.count(),
            )
            for lesson in Lesson.objects.filter(year=school.year, ends_on__isnull=True).select_related(
                "subject", "room", "school_class", "group"
            )
        )


def teachers(school: School) -> dict[str, str]:
    return {"P1": school.teacher.display_name, "P2": school.other_teacher.display_name}


def test_an_edt_export_is_previewed_then_applied_with_its_week_sets_co_teaching_and_groups(school: School):
    courses = [
        Course(day=1, place=1),  # maths 6e T, Monday 08:00, every week
        Course(day=2, place=2, places=2, subject="ANG", teachers=("P1", "P2"), classes=(), groups=("G1",)),
        # Weeks 1-7, 10-16 (not A/B): SVT, a new subject, in the lab (a new room) on weeks 1-3 only.
        Course(
            day=3,
            place=5,
            subject="SVT",
            teachers=("P2",),
            classes=("C1", "C2"),
            room="S9",
            weeks=bits(range(1, 8), range(10, 17)),
            room_weeks=bits(range(1, 4)),
        ),
    ]
    imp = preview(school, edt_xml(teachers=teachers(school), courses=courses), from_day=school.year.start)
    assert imp.status == ImportStatus.PREVIEWED and imp.source_format == "edt", imp.errors
    # The SVT course splits where its room changes: weeks 1-3 in the lab, 4-7 and 10-16 without.
    assert imp.plan["counts"] == {
        "created": 4,
        "changed": 0,
        "removed": 0,
        "ended": 0,
        "unchanged": 0,
        "conflicts": 0,
    }
    assert imp.plan["new_subjects"] == {"NEWSVT": "Sciences de la vie et de la Terre"}
    assert imp.plan["new_rooms"] == ["Labo"]
    assert lessons(school) == []  # a preview writes nothing

    apply(school, imp)
    assert lessons(school) == [
        (0, "08:00", "08:55", "TMATH", "6e T", "T101", "every", 0),
        (1, "09:00", "10:55", "TANG", "Anglais LV2 T", "T101", "every", 1),
        (2, "13:00", "13:55", "NEWSVT", "6e T", "", "4-7,10-16", 1),
        (2, "13:00", "13:55", "NEWSVT", "6e T", "Labo", "1-3", 1),
    ]
    with schema_context(school.establishment.schema_name):
        assert AuditEntry.objects.filter(action="timetable.import_applied").count() == 1
        with pytest.raises(Conflict):
            timetable_import_apply(actor=None, imp=imp)  # applied once

    # The same file again changes nothing.
    again = preview(school, edt_xml(teachers=teachers(school), courses=courses))
    assert again.plan["counts"]["unchanged"] == 4 and again.plan["counts"]["created"] == 0
    apply(school, again)
    assert len(lessons(school)) == 4


def test_a_re_import_mid_year_ends_the_lessons_with_registers_and_deletes_the_others(school: School):
    from tenant_apps.attendance.services import register_save
    from tenant_apps.timetable.selectors import lesson_occurrence

    courses = [Course(day=1, place=1), Course(day=2, place=1, subject="ANG"), Course(day=4, place=1)]
    apply(
        school,
        preview(school, edt_xml(teachers=teachers(school), courses=courses), from_day=school.year.start),
    )
    with schema_context(school.establishment.schema_name):
        monday = Lesson.objects.get(weekday=0)
        occurrence = lesson_occurrence(lesson_id=monday.pk, day=D(2026, 9, 7))
        register_save(actor=school.teacher, occurrence=occurrence, marks={})
    # From 1 October: Monday's room changes (registers taken before: ended and replaced),
    # Tuesday's lesson is gone (no register: deleted), Thursday's is unchanged, Friday's is new.
    changed = [Course(day=1, place=1, room="S2"), Course(day=4, place=1), Course(day=5, place=2)]
    imp = preview(school, edt_xml(teachers=teachers(school), courses=changed), from_day=D(2026, 10, 1))
    assert imp.plan["counts"] == {
        "created": 1,
        "changed": 1,
        "removed": 1,
        "ended": 0,
        "unchanged": 1,
        "conflicts": 0,
    }
    apply(school, imp)
    with schema_context(school.establishment.schema_name):
        monday.refresh_from_db()
        assert monday.ends_on == D(2026, 9, 30) and monday.room.name == "T101"
        replacement = Lesson.objects.get(weekday=0, ends_on__isnull=True)
        assert replacement.starts_on == D(2026, 10, 1) and replacement.room.name == "T202"
        assert not Lesson.objects.filter(weekday=1).exists()
        assert Lesson.objects.filter(weekday=4, starts_on=D(2026, 10, 1)).exists()


def test_unknown_names_and_double_bookings_are_conflicts_named_by_line(school: School):
    courses = [
        Course(day=1, place=1),
        Course(day=1, place=1, classes=("C2",), room="S2"),  # P1 twice at the same time
        Course(day=1, place=2, teachers=("PX",)),  # a teacher unknown here
        Course(day=1, place=3, classes=(), parts=("C1G1",)),  # a part of a class unknown here
    ]
    teachers_here = {**teachers(school), "PX": "Inconnu Personne"}
    imp = preview(school, edt_xml(teachers=teachers_here, courses=courses))
    assert imp.plan["counts"]["created"] == 1 and imp.plan["counts"]["conflicts"] == 3
    unknown = imp.plan["unknown"]
    assert list(unknown["teachers"]) == ["Inconnu Personne"] and list(unknown["groups"]) == ["6T groupe 1"]
    lines = [c["line"] for c in imp.plan["conflicts"]]
    assert lines == sorted(lines) and all(isinstance(line, int) and line > 1 for line in lines)
    assert any("same teacher as line" in c["message"] for c in imp.plan["conflicts"])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (ENCRYPTED, "encrypted"),
        (b"<ExportEmploiDuTemps><Cours>", "Malformed XML"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', "DTD"),
        (b"<Inconnu/>", "Unknown XML file"),
        (b"<STS_EDT><PARAMETRES><UAJ>0671234C</UAJ></PARAMETRES></STS_EDT>", "EDT_STS"),
        (csv_file(["lundi;08:00;09:00;TMATH"], header="day;start;end;subject"), "Missing columns"),
    ],
)
def test_malformed_files_are_refused_with_a_clear_error_and_nothing_written(school: School, data, message):
    imp = preview(school, data, name="bad")
    assert imp.status == ImportStatus.REFUSED
    assert any(message in e["message"] for e in imp.errors), imp.errors
    with pytest.raises(Conflict), schema_context(school.establishment.schema_name):
        timetable_import_apply(actor=None, imp=imp)
    assert lessons(school) == []


def test_errors_name_their_line_and_a_file_with_errors_applies_nothing(school: School):
    good = f"lundi;08:00;08:55;TMATH;{school.teacher.display_name};;6e T;;T101;"
    data = csv_file(
        [
            good,
            f"dimanche;08:00;08:55;TMATH;{school.teacher.display_name};;6e T;;;",
            good.replace("08:55", "8h6"),
        ]
    )
    imp = preview(school, data, name="edt.csv")
    assert imp.status == ImportStatus.REFUSED
    assert sorted(e["line"] for e in imp.errors) == [3, 4]
    other = preview(
        school, edt_xml(teachers=teachers(school), courses=[Course(day=1, place=1)], uai="0671250V")
    )
    assert other.status == ImportStatus.REFUSED and "another establishment" in other.errors[0]["message"]
    assert lessons(school) == []


def test_sts_udt_and_csv_files_give_the_same_kind_of_lessons(school: School):
    sts = preview(
        school, sts_xml(teacher=school.teacher.display_name, co_teacher=school.other_teacher.display_name)
    )
    assert sts.source_format == "sts" and not sts.errors
    apply(school, sts)
    assert lessons(school) == [
        (0, "08:00", "08:55", "TMATH", "6e T", "T101", "every", 0),
        (1, "10:00", "10:55", "TANG", "6e T", "T202", "2,4", 1),  # the alternance's weeks, co-taught
        (3, "14:00", "15:30", "TANG", "Anglais LV2 T", "", "every", 0),
    ]
    udt = preview(
        school, udt_xml(teacher=school.teacher.display_name, co_teacher=school.other_teacher.display_name)
    )
    assert udt.source_format == "udt" and not udt.errors, udt.errors
    # UDT's file is the whole timetable: the STS lessons it lacks go, its own come.
    assert udt.plan["counts"] == {
        "created": 1,
        "changed": 0,
        "removed": 2,
        "ended": 0,
        "unchanged": 1,
        "conflicts": 0,
    }
    apply(school, udt)
    assert (2, "09:00", "10:55", "TANG", "5e T", "", "2-4", 1) in lessons(school)
    rows = [
        f"1;08:00;08:55;TMATH;{school.teacher.display_name};;6e T;;T101;every",
        f"mercredi;9h00;10h55;TANG;{school.teacher.display_name};"
        f"{school.other_teacher.display_name};5e T;;;2-4",
        f"friday;14:00;15:00;TANG;{school.other_teacher.display_name};;6e T|5e T;Anglais LV2 T;;B",
    ]
    imp = preview(school, csv_file(rows), name="edt.csv")
    assert imp.source_format == "csv" and imp.plan["counts"]["created"] == 1, (imp.errors, imp.plan)
    apply(school, imp)
    assert (4, "14:00", "15:00", "TANG", "6e T", "", "B", 2) in lessons(school)


def test_an_a_b_pattern_in_the_file_is_recognised_as_week_a_or_b(school: School):
    week_a = bits(*[n for n in range(1, 45) if n % 2 == 1])
    week_b = bits(*[n for n in range(1, 45) if n % 2 == 0])
    courses = [Course(day=1, place=1, weeks=week_a), Course(day=1, place=1, subject="ANG", weeks=week_b)]
    apply(
        school,
        preview(school, edt_xml(teachers=teachers(school), courses=courses), from_day=school.year.start),
    )
    assert {row[3]: row[6] for row in lessons(school)} == {"TMATH": "A", "TANG": "B"}
