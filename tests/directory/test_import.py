"""Directory import: preview, apply, idempotence, errors with lines, incremental imports, moves."""

from __future__ import annotations

import pytest

from mbn_platform.kernel.errors import ValidationFailed
from shared_apps.directory.import_run import directory_import_run
from shared_apps.directory.models import DirectoryImport, ImportStatus
from shared_apps.directory.services import DirectoryFilesInvalid, directory_import_preview
from shared_apps.identity.models import GuardianLink, Membership, MembershipStatus, ResponsibilityLevel, User
from shared_apps.identity.roles import Role
from tests.directory.data import (
    Guardian,
    Staff,
    Student,
    csv_files,
    establishment_csv,
    guardians_csv,
    small_school,
    students_csv,
    xml_files,
)
from tests.directory.helpers import import_files, member_row, snapshot, student_user


def test_a_preview_counts_what_would_change_and_writes_no_person(school_a):
    students, guardians, staff = small_school()
    users_before = User.objects.count()

    preview = directory_import_preview(
        actor=None, establishment=school_a, files=csv_files(school_a.uai, students, guardians, staff)
    )

    assert preview.status == ImportStatus.PREVIEWED
    assert preview.counts["created"] == 7
    assert preview.counts["updated"] == preview.counts["unchanged"] == preview.counts["departed"] == 0
    assert preview.counts["links"]["created"] == 3
    assert sorted(preview.families) == ["guardian", "staff", "student"]
    assert len(preview.samples["created"]) == 7
    assert User.objects.count() == users_before


def test_an_import_applied_twice_yields_the_same_database(school_a):
    students, guardians, staff = small_school()
    files = csv_files(school_a.uai, students, guardians, staff)
    first = import_files(school_a, files)
    assert first.counts["created"] == 7
    before = snapshot(school_a)

    second = import_files(school_a, files)

    assert snapshot(school_a) == before
    assert second.counts["unchanged"] == 7
    assert second.counts["created"] == second.counts["updated"] == second.counts["departed"] == 0
    assert second.counts["links"] == {"created": 0, "updated": 0, "removed": 0}
    assert second.content_hash == first.content_hash


def person_of(establishment, **names: str) -> User:
    """The one person of these names with a membership in this establishment (the demo's people,
    committed for the session, may bear the same names elsewhere)."""
    return User.objects.filter(memberships__establishment=establishment, **names).distinct().get()


def test_the_same_directory_as_xml_gives_the_same_accounts_as_csv(school_a, school_b):
    students, guardians, staff = small_school()
    import_files(school_a, xml_files(school_a.uai, students, guardians, staff))

    léa = student_user(school_a, "E1")
    assert (léa.first_name, léa.last_name, léa.national_id) == ("Léa", "Martin", "123456789AA")
    assert member_row(school_a, léa.pk).school_class.name == "4e B"
    marc = person_of(school_a, last_name="Bernard", first_name="Marc")
    links = {
        link.child.first_name: link
        for link in GuardianLink.objects.filter(guardian=marc).select_related("child")
    }
    assert links["Hugo"].responsibility_level == ResponsibilityLevel.LEGAL and links["Hugo"].can_act
    assert links["Chloé"].responsibility_level == ResponsibilityLevel.OTHER and not links["Chloé"].can_act
    head = person_of(school_a, last_name="Roux")
    assert set(Membership.objects.filter(user=head).values_list("role", flat=True)) == {
        Role.HEAD,
        Role.TEACHER,
    }

    again = import_files(school_a, csv_files(school_a.uai, students, guardians, staff))
    assert again.counts["unchanged"] == 7


def test_a_malformed_row_is_reported_with_its_line_and_nothing_is_applied(school_a):
    students = [Student(f"E{n}", f"Nom{n}", f"Prénom{n}") for n in range(1, 9)]
    students[5].last = ""  # the 6th data row: line 7 (the header is line 1)
    guardians = [Guardian("P1", "Nom1", "Anne", children=[("E1", 9, True)])]  # no such level
    users_before, memberships_before = User.objects.count(), Membership.objects.count()

    with pytest.raises(DirectoryFilesInvalid) as raised:
        directory_import_preview(
            actor=None,
            establishment=school_a,
            files=[establishment_csv(school_a.uai), students_csv(students), guardians_csv(guardians)],
        )

    rows = raised.value.rows
    assert {
        "file": "eleves.csv",
        "line": 7,
        "field": "last_name",
        "message": "This value is required.",
    } in rows
    assert any(
        r["file"] == "responsables.csv" and r["line"] == 2 and r["field"] == "responsibility" for r in rows
    )
    assert "eleves.csv:7" in raised.value.fields
    assert (User.objects.count(), Membership.objects.count()) == (users_before, memberships_before)
    refused = DirectoryImport.objects.get(pk=raised.value.import_id)
    assert refused.status == ImportStatus.FAILED and refused.content == {}


def test_xml_errors_name_the_line_of_the_element(school_a):
    students = [Student("E1", "Martin", "Léa"), Student("E2", "", "Hugo")]
    name, data = xml_files(school_a.uai, students, [], [])[1]
    expected_line = data.decode().splitlines().index('      <ELEVE ELEVE_ID="E2">') + 1

    with pytest.raises(DirectoryFilesInvalid) as raised:
        directory_import_preview(
            actor=None, establishment=school_a, files=xml_files(school_a.uai, students, [], [])
        )

    assert raised.value.rows == [
        {"file": name, "line": expected_line, "field": "last_name", "message": "This value is required."}
    ]


def test_files_of_another_establishment_are_refused(school_a, school_b):
    students, guardians, staff = small_school()
    with pytest.raises(DirectoryFilesInvalid) as raised:
        directory_import_preview(
            actor=None, establishment=school_a, files=csv_files(school_b.uai, students, guardians, staff)
        )
    assert any(row["field"] == "uai" and school_b.uai in row["message"] for row in raised.value.rows)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("eleves.csv", "id;last_name;first_name;class\nE1;Müller;Zoé;4e B\n".encode("latin-1"), "UTF-8"),
        (
            "bomb.xml",
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b"<BEE_ELEVES>&b;</BEE_ELEVES>",
            "entities",
        ),
        ("broken.xml", b"<BEE_ELEVES><DONNEES></BEE_ELEVES>", "Malformed XML"),
        ("unknown.csv", b"foo;bar\n1;2\n", "kind of file"),
    ],
)
def test_unreadable_files_are_refused_with_a_clear_error(school_a, name, data, message):
    with pytest.raises(DirectoryFilesInvalid) as raised:
        directory_import_preview(
            actor=None, establishment=school_a, files=[establishment_csv(school_a.uai), (name, data)]
        )
    assert any(message in row["message"] and row["file"] == name for row in raised.value.rows)


def test_no_file_is_refused(school_a):
    with pytest.raises(ValidationFailed) as raised:
        directory_import_preview(actor=None, establishment=school_a, files=[])
    assert "files" in raised.value.fields


def test_a_later_import_marks_who_left_as_departed_and_updates_classes(school_a):
    students, guardians, staff = small_school()
    import_files(school_a, csv_files(school_a.uai, students, guardians, staff))
    hugo, léa, chloé = (student_user(school_a, sid) for sid in ("E2", "E1", "E3"))
    marc = person_of(school_a, first_name="Marc")

    students = [s for s in students if s.id != "E2"]  # Hugo left
    students[0].klass = "3e A"  # Léa moves up a class
    # Marc is no longer in the export; Sophie is now also Chloé's contact.
    guardians = [
        Guardian("P1", "Martin", "Sophie", "sophie.martin@example.org", [("E1", 1, True), ("E3", 2, False)])
    ]
    later = import_files(school_a, csv_files(school_a.uai, students, guardians, staff))

    assert later.counts["departed"] == 2  # Hugo and Marc
    assert later.counts["updated"] == 2  # Léa's class, Sophie's links
    assert later.counts["links"] == {"created": 1, "updated": 0, "removed": 1}
    membership = Membership.objects.get(user=hugo, establishment=school_a, role=Role.STUDENT)
    assert membership.status == MembershipStatus.DEPARTED
    assert Membership.objects.get(user=marc, establishment=school_a).status == MembershipStatus.DEPARTED
    assert User.objects.filter(pk=hugo.pk).exists()  # history kept
    row = member_row(school_a, hugo.pk)
    assert not row.is_active and row.school_class.name == "4e B"
    assert member_row(school_a, léa.pk).school_class.name == "3e A"
    # A child who left keeps their family; a child who stays loses the guardian the school no longer lists.
    assert GuardianLink.objects.filter(child=hugo, guardian=marc).exists()
    assert set(GuardianLink.objects.filter(child=chloé).values_list("guardian__first_name", flat=True)) == {
        "Sophie"
    }


def test_a_student_who_moves_school_keeps_their_account(school_a, school_b):
    mover = Student("A7", "Lambert", "Inès", "2010-09-09", "3e C", ine="987654321ZZ")
    stayer = Student("A8", "Morel", "Noah", "2010-10-10", "3e C", ine="987654321ZY")
    import_files(school_a, csv_files(school_a.uai, [mover, stayer], [], []))
    account = student_user(school_a, "A7")
    users_before = User.objects.count()

    in_b = import_files(
        school_b,
        csv_files(
            school_b.uai, [Student("B1", "Lambert", "Inès", "2010-09-09", "2de 4", ine="987654321ZZ")], [], []
        ),
    )

    assert in_b.counts["linked"] == 1 and in_b.counts["created"] == 0
    assert User.objects.count() == users_before
    assert student_user(school_b, "B1").pk == account.pk
    assert Membership.objects.get(user=account, establishment=school_b).status == MembershipStatus.ACTIVE
    assert Membership.objects.get(user=account, establishment=school_a).status == MembershipStatus.ACTIVE

    next_in_a = import_files(school_a, csv_files(school_a.uai, [stayer], [], []))

    assert next_in_a.counts["departed"] == 1
    assert Membership.objects.get(user=account, establishment=school_a).status == MembershipStatus.DEPARTED
    assert Membership.objects.get(user=account, establishment=school_b).status == MembershipStatus.ACTIVE
    assert member_row(school_b, account.pk).is_active and not member_row(school_a, account.pk).is_active


def test_a_probable_duplicate_in_another_establishment_is_a_conflict_not_an_account(school_a, school_b):
    import_files(
        school_a, csv_files(school_a.uai, [Student("A1", "Garnier", "Jules", "2009-01-01", "2de 1")], [], [])
    )
    users_before = User.objects.count()

    preview = directory_import_preview(
        actor=None,
        establishment=school_b,
        files=csv_files(school_b.uai, [Student("B9", "GARNIER", "Jules", "2009-01-01", "1re 2")], [], []),
    )

    assert preview.counts["conflicts"] == 1 and preview.counts["created"] == 0
    assert "Probable duplicate" in preview.samples["conflicts"][0]["detail"]
    assert directory_import_run(preview.pk).status == ImportStatus.APPLIED
    assert User.objects.count() == users_before


def test_people_are_matched_by_names_and_birth_date_when_the_export_ids_change(school_a):
    students = [Student("E1", "Martin", "Léa", "2011-03-02", "4e B")]
    import_files(school_a, csv_files(school_a.uai, students, [], []))
    léa = student_user(school_a, "E1")

    renumbered = import_files(
        school_a, csv_files(school_a.uai, [Student("X99", "Martin", "Léa", "2011-03-02", "4e B")], [], [])
    )

    assert renumbered.counts["updated"] == 1 and renumbered.counts["created"] == 0
    assert student_user(school_a, "X99").pk == léa.pk


def test_staff_functions_change_their_roles_and_admins_are_never_departed(school_a):
    from tests.factories import member

    admin = member(school_a, Role.ESTABLISHMENT_ADMIN)
    import_files(school_a, csv_files(school_a.uai, [], [], [Staff("S1", "Durand", "Claire", "ENS|EDU")]))
    claire = person_of(school_a, last_name="Durand")

    import_files(school_a, csv_files(school_a.uai, [], [], [Staff("S1", "Durand", "Claire", "EDU")]))

    roles = dict(Membership.objects.filter(user=claire, establishment=school_a).values_list("role", "status"))
    assert roles == {Role.TEACHER: MembershipStatus.DEPARTED, Role.SCHOOL_LIFE: MembershipStatus.ACTIVE}
    assert member_row(school_a, claire.pk).roles == [Role.SCHOOL_LIFE]
    assert Membership.objects.get(user=admin, establishment=school_a).status == MembershipStatus.ACTIVE


def test_applying_writes_one_audit_entry_with_the_counts(school_a):
    from shared_apps.audit.models import AuditEntry

    students, guardians, staff = small_school()
    applied = import_files(school_a, csv_files(school_a.uai, students, guardians, staff))

    entries = AuditEntry.objects.filter(establishment=school_a, action="directory.import_applied")
    assert [e.details["counts"]["created"] for e in entries] == [7]
    assert entries[0].target_id == str(applied.pk)
    assert not AuditEntry.objects.filter(establishment=school_a, action="membership.grant").exists()


def test_a_failure_while_applying_leaves_nothing_half_applied(school_a, monkeypatch):
    from shared_apps.directory import applying

    students, guardians, staff = small_school()
    preview = directory_import_preview(
        actor=None, establishment=school_a, files=csv_files(school_a.uai, students, guardians, staff)
    )
    users_before = User.objects.count()

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(applying, "guardian_links_bulk_apply", broken)
    failed = directory_import_run(preview.pk)

    assert failed.status == ImportStatus.FAILED
    assert User.objects.count() == users_before
    assert not Membership.objects.filter(establishment=school_a).exists()
