"""One bad row no longer refuses a whole export where skipping it is safe: the preview lists what
is skipped and why (in French by default), the rest applies, and nobody departs or loses a link
because their row was skipped. Where skipping is not safe, the import is refused with the reason."""

from __future__ import annotations

import pytest

from shared_apps.directory.services import DirectoryFilesInvalid, directory_import_preview
from shared_apps.identity.models import GuardianLink, Membership, MembershipStatus, User
from shared_apps.identity.roles import Role
from tests.directory.data import Guardian, Student, csv_files, establishment_csv, students_csv
from tests.directory.helpers import import_files, student_user
from tests.directory.siecle_data import Pupil, Relation, eleves_xml, responsables_xml, structures_xml


def _class_of_twelve() -> tuple[list[Pupil], dict[str, tuple[str, str]], list[Relation]]:
    pupils = [Pupil(f"30{n:02d}", f"Nom{n}", f"Élève{n}", "5C") for n in range(12)]
    people = {f"R{n}": (f"Nom{n}", f"Parent{n}") for n in range(12)}
    relations = [Relation(f"R{n}", f"30{n:02d}", niveau="1") for n in range(12)]
    return pupils, people, relations


def test_one_bad_relation_among_many_is_skipped_and_reported_the_rest_applies(school_a, french_by_default):
    pupils, people, relations = _class_of_twelve()
    relations.append(Relation("R0", "3001", niveau="7"))  # no such level
    files = [
        structures_xml(school_a.uai, {}),
        eleves_xml(school_a.uai, pupils),
        responsables_xml(school_a.uai, people, relations),
    ]
    bad_line = (
        files[2][1]
        .decode("iso-8859-15")
        .splitlines()
        .index(
            "      <RESPONSABLE_ELEVE><ELEVE_ID>3001</ELEVE_ID><PERSONNE_ID>R0</PERSONNE_ID>"
            "<NIVEAU_RESPONSABILITE>7</NIVEAU_RESPONSABILITE><CODE_PARENTE>10</CODE_PARENTE></RESPONSABLE_ELEVE>"
        )
        + 1
    )

    preview = directory_import_preview(actor=None, establishment=school_a, files=files)

    assert preview.counts["skipped"] == 1 and preview.counts["created"] == 24
    assert preview.skipped == [
        {
            "file": "ResponsablesAvecAdresses.xml",
            "line": bad_line,
            "field": "NIVEAU_RESPONSABILITE",
            "message": "Niveau de responsabilité inconnu : '7' (1, 2 ou 3).",
            "what": "link",
            "name": "",
        }
    ]
    applied = import_files(school_a, files)
    assert applied.counts["links"]["created"] == 12
    assert GuardianLink.objects.filter(child=student_user(school_a, "3001")).count() == 1


def test_a_person_without_a_required_value_is_skipped_and_keeps_what_they_had(school_a):
    pupils, people, relations = _class_of_twelve()
    files = [
        structures_xml(school_a.uai, {}),
        eleves_xml(school_a.uai, pupils),
        responsables_xml(school_a.uai, people, relations),
    ]
    import_files(school_a, files)
    known = student_user(school_a, "3005")
    pupils[5].first = ""  # the next export lost her first name
    files[1] = eleves_xml(school_a.uai, pupils)

    later = import_files(school_a, files)

    assert later.counts["skipped"] == 1 and later.counts["departed"] == 0
    assert later.skipped[0]["field"] == "first_name" and later.skipped[0]["what"] == "person"
    assert (
        Membership.objects.get(user=known, establishment=school_a, role=Role.STUDENT).status
        == MembershipStatus.ACTIVE
    )
    # Her guardian's row names a student skipped: that link stays as it was.
    assert GuardianLink.objects.filter(child=known).count() == 1


def test_a_bad_guardian_link_row_keeps_the_link_the_family_had(school_a):
    students = [Student(f"K{n}", f"Nom{n}", f"Élève{n}") for n in range(12)]
    guardians = [Guardian(f"G{n}", f"Nom{n}", f"Parent{n}", children=[(f"K{n}", 1, True)]) for n in range(12)]
    import_files(school_a, csv_files(school_a.uai, students, guardians, []))
    guardians[3].children = [("K3", 9, True)]  # a level that does not exist

    later = import_files(school_a, csv_files(school_a.uai, students, guardians, []))

    assert later.counts["skipped"] == 1 and later.counts["links"]["removed"] == 0
    assert GuardianLink.objects.filter(
        child=student_user(school_a, "K3"), guardian__first_name="Parent3"
    ).exists()


def test_an_invalid_email_is_left_out_and_the_person_imported(school_a):
    students = [Student(f"M{n}", f"Nom{n}", f"Élève{n}") for n in range(3)]
    students[1].email = "not an address"

    applied = import_files(school_a, [establishment_csv(school_a.uai), students_csv(students)])

    assert applied.counts["created"] == 3 and applied.counts["left_out"] == 1
    assert applied.skipped[0]["what"] == "value" and applied.skipped[0]["field"] == "email"
    assert student_user(school_a, "M1").email == ""


def test_rows_sharing_an_identifier_are_all_skipped(school_a):
    students = [Student(f"D{n}", f"Nom{n}", f"Élève{n}") for n in range(20)]
    students[7].id = students[3].id = "DX"

    applied = import_files(school_a, [establishment_csv(school_a.uai), students_csv(students)])

    assert applied.counts["created"] == 18 and applied.counts["skipped"] == 2
    assert {row["line"] for row in applied.skipped} == {5, 9}
    assert not User.objects.filter(first_name__in=["Élève3", "Élève7"]).exists()


def test_a_class_that_several_skipped_rows_need_refuses_the_import_with_the_reason(school_a):
    students = [Student(f"C{n}", f"Nom{n}", f"Élève{n}", klass="4e B") for n in range(40)]
    too_long = "Classe européenne bilingue section internationale"
    for student in students[:3]:
        student.klass = too_long

    with pytest.raises(DirectoryFilesInvalid) as raised:
        directory_import_preview(
            actor=None,
            establishment=school_a,
            files=[establishment_csv(school_a.uai), students_csv(students)],
        )

    reasons = [row["message"] for row in raised.value.rows if row["field"] == "class" and row["file"] == ""]
    assert reasons == [
        f"Class {too_long!r} cannot be imported (At most 40 characters.) and 3 rows need it: correct it."
    ]
    assert not User.objects.filter(first_name="Élève10").exists()


def test_a_file_where_more_than_one_row_in_ten_is_bad_is_refused(school_a):
    students = [Student(f"T{n}", f"Nom{n}", f"Élève{n}") for n in range(10)]
    students[2].last = students[6].last = ""

    with pytest.raises(DirectoryFilesInvalid) as raised:
        directory_import_preview(
            actor=None,
            establishment=school_a,
            files=[establishment_csv(school_a.uai), students_csv(students)],
        )

    assert {(row["line"], row["field"]) for row in raised.value.rows} == {(4, "last_name"), (8, "last_name")}
