"""The school's structure imported with the directory: groups (mixing classes) and their members,
subjects, teaching assignments; preview, idempotence, incremental imports, errors by line."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from shared_apps.directory.models import DirectoryImport, ImportStatus
from shared_apps.directory.services import DirectoryFilesInvalid, directory_import_preview
from shared_apps.identity.models import User
from tenant_apps.structure.models import Subject, TeachingAssignment
from tests.directory.data import (
    SUBJECTS,
    Service,
    Staff,
    Student,
    csv_files,
    establishment_csv,
    staff_csv,
    structured_school,
    structured_xml_files,
    students_csv,
    teaching_csv,
)
from tests.directory.helpers import import_files
from tests.directory.structure_reading import EXPECTED_ASSIGNMENTS, full_snapshot, structure


def test_national_xml_imports_subjects_groups_mixing_classes_and_assignments(school_a):
    students, guardians, staff, services = structured_school()

    applied = import_files(school_a, structured_xml_files(school_a.uai, students, guardians, staff, services))

    got = structure(school_a)
    assert got["subjects"] == {s.code: s.name for s in SUBJECTS}
    assert got["groups"] == {
        "ESP2": (True, ["Chloé Petit", "Léa Martin"]),  # 4e B and 5e A together
        "AGL-renf": (True, ["Hugo Bernard", "Léa Martin"]),
    }
    assert {"4e B", "5e A"} <= set(got["classes"])
    assert got["assignments"] == EXPECTED_ASSIGNMENTS
    assert applied.counts["structure"] == {
        "subjects_created": 3,
        "subjects_renamed": 0,
        "classes_created": 2,
        "groups_created": 2,
        "groups_adopted": 0,
        "memberships_added": 4,
        "memberships_removed": 0,
        "assignments_added": 5,
        "assignments_removed": 0,
    }


def test_csv_groups_column_and_teaching_file_with_french_headers(school_a):
    students, _guardians, staff, _services = structured_school()
    teaching = teaching_csv(
        [
            ("S1", "MATH", "Mathématiques", "4e B", ""),
            ("S1", "MATH", "Mathématiques", "5e A", ""),
            ("S1", "ESP2", "Espagnol LV2", "", "ESP2"),
            ("S2", "ANG", "Anglais LV1", "4e B", ""),
            ("S2", "ANG", "Anglais LV1", "", "AGL-renf"),
        ],
        header="enseignant_id;code_matiere;matiere;classe;groupe",
    )
    files = [
        establishment_csv(school_a.uai),
        students_csv(students, groups_column="groupes"),
        staff_csv(staff),
        teaching,
    ]

    import_files(school_a, files)

    got = structure(school_a)
    assert got["subjects"] == {"MATH": "Mathématiques", "ESP2": "Espagnol LV2", "ANG": "Anglais LV1"}
    assert got["groups"] == {
        "ESP2": (True, ["Chloé Petit", "Léa Martin"]),
        "AGL-renf": (True, ["Hugo Bernard", "Léa Martin"]),
    }
    assert got["assignments"] == [
        ("Claire Durand", "ESP2", "", "ESP2", True),
        ("Claire Durand", "MATH", "4e B", "", True),
        ("Claire Durand", "MATH", "5e A", "", True),
        ("Paul Roux", "ANG", "", "AGL-renf", True),
        ("Paul Roux", "ANG", "4e B", "", True),
    ]


def test_a_preview_counts_and_lists_the_structure_changes_and_writes_nothing(school_a):
    students, guardians, staff, services = structured_school()
    before = full_snapshot(school_a)

    preview = directory_import_preview(
        actor=None,
        establishment=school_a,
        files=structured_xml_files(school_a.uai, students, guardians, staff, services),
    )

    assert full_snapshot(school_a) == before
    assert preview.counts["structure"]["assignments_added"] == 5
    assert preview.counts["structure"]["memberships_added"] == 4
    assert preview.counts["structure"]["groups_created"] == 2
    rows = preview.samples["structure"]
    assert {
        "change": "assignments_added",
        "name": "Claire Durand",
        "detail": "Espagnol LV2 — ESP2",
        "file": f"sts_emp_{school_a.uai}.xml",
        "line": rows[-1]["line"],
    } in rows
    assert rows[0].items() >= {"change": "subjects_created", "name": "061300 Mathématiques"}.items()
    # the people file + people, links and structure rows
    assert preview.progress_total == 7 + 3 + len(SUBJECTS) + 5 + 4


def test_reimporting_the_same_files_changes_nothing(school_a):
    students, guardians, staff, services = structured_school()
    files = structured_xml_files(school_a.uai, students, guardians, staff, services)
    import_files(school_a, files)
    before = full_snapshot(school_a)

    again = import_files(school_a, files)

    assert full_snapshot(school_a) == before
    assert set(again.counts["structure"].values()) == {0}
    assert again.counts["unchanged"] == 7


def test_an_incremental_import_removes_what_the_files_dropped_and_keeps_what_was_made_by_hand(school_a):
    students, guardians, staff, services = structured_school()
    import_files(school_a, structured_xml_files(school_a.uai, students, guardians, staff, services))
    with schema_context(school_a.schema_name):
        from tenant_apps.school.models import Member
        from tenant_apps.structure.services import group_create

        hugo = Member.objects.get(display_name="Hugo Bernard")
        claire = Member.objects.get(display_name="Claire Durand")
        latin = group_create(actor=None, name="Latin", member_ids=[hugo.pk])  # made by hand
        TeachingAssignment.objects.create(  # made by hand
            teacher=claire, subject=Subject.objects.get(code="030201"), group=latin
        )

    students[0].groups = ["ESP2"]  # Léa leaves AGL-renf
    services = [s for s in services if not (s.subject == "030201" and s.division == "4e B")]  # dropped
    services.append(Service("030201", ["S1"], group="ESP2"))  # new
    later = import_files(school_a, structured_xml_files(school_a.uai, students, guardians, staff, services))

    got = structure(school_a)
    assert got["groups"]["AGL-renf"] == (True, ["Hugo Bernard"])
    assert got["groups"]["Latin"] == (False, ["Hugo Bernard"])  # left alone
    assert ("Paul Roux", "030201", "4e B", "", True) not in got["assignments"]
    assert ("Claire Durand", "030201", "", "ESP2", True) in got["assignments"]
    assert ("Claire Durand", "030201", "", "Latin", False) in got["assignments"]  # kept
    counts = later.counts["structure"]
    assert (counts["memberships_removed"], counts["assignments_removed"], counts["assignments_added"]) == (
        1,
        1,
        1,
    )


def test_a_students_csv_without_the_groups_column_leaves_memberships_alone(school_a):
    students, guardians, staff, services = structured_school()
    import_files(school_a, structured_xml_files(school_a.uai, students, guardians, staff, services))
    groups_before = structure(school_a)["groups"]

    later = import_files(school_a, csv_files(school_a.uai, students, guardians, staff))

    assert structure(school_a)["groups"] == groups_before
    assert "structure" not in later.counts
    # ...and a staff file without services leaves the assignments alone
    assert structure(school_a)["assignments"] == EXPECTED_ASSIGNMENTS


def test_a_group_made_by_hand_that_the_files_name_is_taken_over(school_a):
    with schema_context(school_a.schema_name):
        from tenant_apps.structure.services import group_create

        group_create(actor=None, name="ESP2")
    students, guardians, staff, services = structured_school()

    applied = import_files(school_a, structured_xml_files(school_a.uai, students, guardians, staff, services))

    assert applied.counts["structure"]["groups_adopted"] == 1
    assert structure(school_a)["groups"]["ESP2"] == (True, ["Chloé Petit", "Léa Martin"])


def test_a_renamed_subject_is_updated(school_a):
    students, guardians, staff, services = structured_school()
    import_files(school_a, structured_xml_files(school_a.uai, students, guardians, staff, services))
    renamed = [*SUBJECTS[:2], type(SUBJECTS[2])("030602", "ESP2", "Espagnol LV2 (renforcé)")]

    later = import_files(
        school_a, structured_xml_files(school_a.uai, students, guardians, staff, services, renamed)
    )

    assert later.counts["structure"]["subjects_renamed"] == 1
    assert structure(school_a)["subjects"]["030602"] == "Espagnol LV2 (renforcé)"


def test_a_teaching_file_alone_names_staff_of_an_earlier_import(school_a):
    staff = [Staff("S1", "Durand", "Claire", "ENS")]
    import_files(
        school_a,
        [
            establishment_csv(school_a.uai),
            students_csv([Student("E1", "Martin", "Léa", klass="4e B")]),
            staff_csv(staff),
        ],
    )

    applied = import_files(
        school_a, [establishment_csv(school_a.uai), teaching_csv([("S1", "MATH", "Maths", "4e B", "")])]
    )

    assert applied.counts["unchanged"] == 0 and applied.families == []
    assert structure(school_a)["assignments"] == [("Claire Durand", "MATH", "4e B", "", True)]


def test_unknown_teachers_classes_and_subjects_are_refused_by_file_and_line(school_a):
    students, _guardians, staff, _services = structured_school()
    files = [
        establishment_csv(school_a.uai),
        students_csv(students),
        staff_csv(staff),
        teaching_csv(
            [
                ("S1", "MATH", "Maths", "4e B", ""),  # line 2: fine
                ("S9", "MATH", "Maths", "4e B", ""),  # line 3: no such teacher
                ("S1", "MATH", "Maths", "4e Z", ""),  # line 4: no such class
                ("S1", "PHY", "", "4e B", ""),  # line 5: unknown subject, no name
                ("S1", "MATH", "Maths", "4e B", "ESP2"),  # line 6: class and group
            ]
        ),
    ]
    users_before = User.objects.count()

    with pytest.raises(DirectoryFilesInvalid) as raised:
        directory_import_preview(actor=None, establishment=school_a, files=files)

    where = {(r["file"], r["line"], r["field"]) for r in raised.value.rows}
    assert where == {
        ("services.csv", 3, "teacher_id"),
        ("services.csv", 4, "class"),
        ("services.csv", 5, "subject_code"),
        ("services.csv", 6, "class"),
    }
    assert "services.csv:3" in raised.value.fields
    assert User.objects.count() == users_before
    assert DirectoryImport.objects.get(pk=raised.value.import_id).status == ImportStatus.FAILED
    assert structure(school_a)["assignments"] == []


def test_an_sts_service_naming_a_teacher_absent_from_the_file_names_its_line(school_a):
    students, guardians, staff, services = structured_school()
    services.append(Service("061300", ["S404"], division="5e A"))
    files = structured_xml_files(school_a.uai, students, guardians, staff, services)
    text = files[-1][1].decode()
    expected_line = text.splitlines().index('                <ENSEIGNANT ID="S404" TYPE="epp"/>') + 1

    with pytest.raises(DirectoryFilesInvalid) as raised:
        directory_import_preview(actor=None, establishment=school_a, files=files)

    assert raised.value.rows == [
        {
            "file": files[-1][0],
            "line": expected_line,
            "field": "teacher_id",
            "message": "Unknown teacher id 'S404': not in the staff file.",
        }
    ]
