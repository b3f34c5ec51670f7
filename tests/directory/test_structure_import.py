"""The school's structure imported with the directory: groups (mixing classes) and their members,
subjects, teaching assignments; preview, idempotence, incremental imports, errors by line."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from shared_apps.directory.import_run import directory_import_run
from shared_apps.directory.models import DirectoryImport, ImportStatus
from shared_apps.directory.services import DirectoryFilesInvalid, directory_import_preview
from shared_apps.identity.models import User
from shared_apps.identity.roles import Role
from tenant_apps.school.models import SchoolClass
from tenant_apps.structure.models import Group, Subject, TeachingAssignment
from tenants.models import Establishment
from tests.conftest import client_for
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
from tests.directory.helpers import directory_audit_purge, import_files, snapshot
from tests.factories import member


def structure(school: Establishment) -> dict[str, Any]:
    """The structure as a person sees it: names, not ids."""
    with schema_context(school.schema_name):
        groups = {
            g.name: (g.imported, sorted(m.display_name for m in g.members.all()))
            for g in Group.objects.prefetch_related("members")
        }
        assignments = sorted(
            (
                a.teacher.display_name,
                a.subject.code,
                a.school_class.name if a.school_class else "",
                a.group.name if a.group else "",
                a.imported,
            )
            for a in TeachingAssignment.objects.select_related("teacher", "subject", "school_class", "group")
        )
        return {
            "subjects": dict(Subject.objects.values_list("code", "name")),
            "classes": sorted(SchoolClass.objects.values_list("name", flat=True)),
            "groups": groups,
            "assignments": assignments,
        }


def full_snapshot(school: Establishment) -> dict[str, Any]:
    """Every row an import may write, ids included."""
    with schema_context(school.schema_name):
        rows = {
            "subjects": sorted(Subject.objects.values_list("pk", "code", "name")),
            "groups": sorted(Group.objects.values_list("pk", "name", "imported")),
            "memberships": sorted(Group.members.through.objects.values_list("pk", "group_id", "member_id")),
            "assignments": sorted(
                TeachingAssignment.objects.values_list(
                    "pk", "teacher_id", "subject_id", "school_class_id", "group_id", "imported"
                )
            ),
        }
    return {**snapshot(school), **rows}


EXPECTED_ASSIGNMENTS = [
    ("Claire Durand", "030602", "", "ESP2", True),
    ("Claire Durand", "061300", "4e B", "", True),
    ("Claire Durand", "061300", "5e A", "", True),
    ("Paul Roux", "030201", "", "AGL-renf", True),
    ("Paul Roux", "030201", "4e B", "", True),
]


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


def test_a_failure_while_writing_the_structure_leaves_nothing_half_applied(school_a, monkeypatch):
    from shared_apps.directory.structure_store import structure_store

    students, guardians, staff, services = structured_school()
    preview = directory_import_preview(
        actor=None,
        establishment=school_a,
        files=structured_xml_files(school_a.uai, students, guardians, staff, services),
    )
    users_before = User.objects.count()

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(structure_store(), "write", broken)
    failed = directory_import_run(preview.pk)

    assert failed.status == ImportStatus.FAILED
    assert User.objects.count() == users_before
    assert structure(school_a)["subjects"] == {}


def _import_queries(school: Establishment, teachers: int) -> int:
    students = [
        Student(f"Q{n}", f"Nom{n}", "Élève", f"2011-01-{1 + n % 28:02d}", f"4e {n % 3}", groups=[f"G{n % 4}"])
        for n in range(teachers * 3)
    ]
    staff = [Staff(f"T{n}", f"Prof{n}", "Agent") for n in range(teachers)]
    rows = [(f"T{n}", f"SUB{n % 5}", f"Matière {n % 5}", f"4e {n % 3}", "") for n in range(teachers)]
    rows += [(f"T{n}", f"SUB{n % 5}", f"Matière {n % 5}", "", f"G{n % 4}") for n in range(teachers)]
    files = [
        establishment_csv(school.uai),
        students_csv(students, groups_column="groups"),
        staff_csv(staff),
        teaching_csv(rows),
    ]
    with CaptureQueriesContext(connection) as queries:
        import_files(school, files)
    return len(queries)


def test_the_import_of_the_structure_runs_a_bounded_number_of_queries(school_a, school_b):
    assert _import_queries(school_a, 4) == _import_queries(school_b, 24)


def test_the_import_page_shows_the_structure_counts(school_a):
    admin = member(school_a, Role.ESTABLISHMENT_ADMIN)
    students, guardians, staff, services = structured_school()
    preview = directory_import_preview(
        actor=None,
        establishment=school_a,
        files=structured_xml_files(school_a.uai, students, guardians, staff, services),
    )

    page = client_for(admin, school_a).get(f"/directory/imports/{preview.pk}/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "Teaching assignments added" in html
    assert "Espagnol LV2 — ESP2" in html


def _worker_cleanup(school: Establishment) -> None:
    """The worker test commits (the worker is another process): remove what it created."""
    from shared_apps.directory.models import DirectoryRecord
    from tenant_apps.school.models import Member

    user_ids = list(
        DirectoryRecord.objects.filter(establishment=school, source_id__startswith="WS-").values_list(
            "user_id", flat=True
        )
    )
    with schema_context(school.schema_name):
        Member.objects.filter(user_id__in=user_ids).delete()  # their assignments and memberships too
        Group.objects.filter(name="WS-G").delete()
        Subject.objects.filter(code="WS-SUB").delete()
        SchoolClass.objects.filter(name="WS 1").delete()
    User.objects.filter(pk__in=user_ids).delete()
    DirectoryImport.objects.filter(establishment=school).delete()
    directory_audit_purge(school)  # the log is append-only, even to raw SQL


@pytest.mark.worker
def test_the_worker_applies_the_structure_with_the_people(celery_queue, django_db_blocker):
    import time

    from django.test import override_settings

    from shared_apps.directory.services import directory_import_apply
    from tests.conftest import SESSION_SCHOOLS

    with django_db_blocker.unblock():
        school = Establishment.objects.get(uai=SESSION_SCHOOLS["school_a"][0])
        _worker_cleanup(school)
        try:
            students = [
                Student(
                    f"WS-E{n}",
                    f"Worker{n}",
                    "Test",
                    "2010-01-01",
                    "WS 1",
                    ine=f"WSTRUCT{n:04d}",
                    groups=["WS-G"],
                )
                for n in range(3)
            ]
            files = [
                establishment_csv(school.uai),
                students_csv(students, groups_column="groups"),
                staff_csv([Staff("WS-T1", "Worker", "Teacher", "ENS")]),
                teaching_csv([("WS-T1", "WS-SUB", "Worker subject", "", "WS-G")]),
            ]
            preview = directory_import_preview(actor=None, establishment=school, files=files)
            with (
                override_settings(CELERY_TASK_DEFAULT_QUEUE=celery_queue),
                schema_context(school.schema_name),
            ):
                directory_import_apply(actor=None, directory_import=preview)  # enqueued on commit
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                preview.refresh_from_db()
                if preview.status in (ImportStatus.APPLIED, ImportStatus.FAILED):
                    break
                time.sleep(0.2)

            assert preview.status == ImportStatus.APPLIED, preview.errors
            assert preview.counts["structure"]["assignments_added"] == 1
            got = structure(school)
            assert got["groups"]["WS-G"] == (True, ["Test Worker0", "Test Worker1", "Test Worker2"])
            assert ("Teacher Worker", "WS-SUB", "", "WS-G", True) in got["assignments"]
        finally:
            connection.set_schema_to_public()
            _worker_cleanup(school)


def test_a_reference_gone_since_the_preview_fails_the_apply_with_its_line(school_a):
    with schema_context(school_a.schema_name):
        SchoolClass.objects.create(name="3e Z", level="3e")
    import_files(school_a, [establishment_csv(school_a.uai), staff_csv([Staff("S1", "Durand", "Claire")])])
    preview = directory_import_preview(
        actor=None,
        establishment=school_a,
        files=[establishment_csv(school_a.uai), teaching_csv([("S1", "MATH", "Maths", "3e Z", "")])],
    )
    with schema_context(school_a.schema_name):
        SchoolClass.objects.filter(name="3e Z").delete()  # removed by hand in between

    failed = directory_import_run(preview.pk)

    assert failed.status == ImportStatus.FAILED
    assert [(e["file"], e["line"], e["field"]) for e in failed.errors] == [("services.csv", 2, "class")]
    assert structure(school_a)["subjects"] == {}
