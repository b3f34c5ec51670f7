"""Class and group spaces: one per class and group, their members following the structure (a
student changing class leaves the old space and joins the new one; a teacher's assignment makes
them an owner); guardians are members of no space."""

from __future__ import annotations

from django_tenants.utils import schema_context

from shared_apps.identity.roles import Role
from shared_apps.identity.services import member_sync
from tenant_apps.school.models import SchoolClass
from tenant_apps.spaces.membership import space_members, space_role
from tenant_apps.spaces.models import Space, SpaceKind
from tenant_apps.structure.models import TeachingAssignment
from tenant_apps.structure.services import group_members_set, teaching_assignment_delete


def listed(spaces, user) -> dict[str, str]:
    answer = spaces.api(user).get("/api/v1/spaces/")
    assert answer.status_code == 200
    return {row["name"]: row["my_role"] for row in answer.json()["results"]}


def test_each_class_and_group_has_its_space_with_students_and_teachers(spaces):
    school = spaces.school
    assert listed(spaces, school.students[0]) == {"6e T": "contributor", "Anglais LV2 T": "contributor"}
    assert listed(spaces, school.students[1]) == {"6e T": "contributor"}
    assert listed(spaces, school.teacher) == {"6e T": "owner"}
    assert listed(spaces, school.other_teacher) == {"5e T": "owner", "Anglais LV2 T": "owner"}
    with spaces.schema():
        names = {(row.member.user_id, row.role) for row in space_members(spaces.class_space)}
    assert names == {(school.teacher.pk, "owner")} | {(s.pk, "contributor") for s in school.students}


def test_a_student_changing_class_leaves_the_old_space_and_joins_the_new_one(spaces):
    school = spaces.school
    student = school.students[1]
    assert spaces.api(student).get(f"/api/v1/spaces/{spaces.class_space.pk}/").status_code == 200

    member_sync(user=student, establishment=school.establishment, class_name=school.other_class.name)

    assert listed(spaces, student) == {"5e T": "contributor"}
    assert spaces.api(student).get(f"/api/v1/spaces/{spaces.class_space.pk}/").status_code == 404
    assert spaces.web(student).get(f"/spaces/{spaces.class_space.pk}/").status_code == 404
    assert spaces.web(student).get(f"/spaces/{spaces.other_space.pk}/forum/").status_code == 200
    with spaces.schema():
        members = {row.member.user_id for row in space_members(spaces.other_space)}
    assert student.pk in members


def test_bulk_moves_are_followed_too(spaces):
    """A directory import or the rollover writes members in bulk (no signal): nothing to resync."""
    school = spaces.school
    with spaces.schema():
        moved = spaces.m(school.students[2])
        type(moved).objects.filter(pk=moved.pk).update(school_class=school.other_class)
        assert space_role(spaces.m(school.students[2]), spaces.class_space) is None
        assert space_role(spaces.m(school.students[2]), spaces.other_space) == "contributor"


def test_assignments_and_group_changes_are_followed(spaces):
    school = spaces.school
    with spaces.schema():
        assignment = TeachingAssignment.objects.get(teacher=spaces.m(school.teacher))
        teaching_assignment_delete(actor=None, assignment=assignment)
        group_members_set(actor=None, group=school.group, member_ids=[spaces.m(school.students[1]).pk])
    assert listed(spaces, school.teacher) == {}
    assert listed(spaces, school.students[0]) == {"6e T": "contributor"}
    assert listed(spaces, school.students[1]) == {"6e T": "contributor", "Anglais LV2 T": "contributor"}


def test_new_classes_get_a_space_even_when_made_in_bulk(spaces):
    with spaces.schema():
        SchoolClass.objects.create(name="4e T", level="4e")
        assert Space.objects.filter(school_class__name="4e T", kind=SpaceKind.CLASS).count() == 1
        SchoolClass.objects.bulk_create([SchoolClass(name="3e T", level="3e")])
        assert not Space.objects.filter(school_class__name="3e T").exists()
    # The list makes the missing ones.
    assert spaces.api(spaces.school.admin).get("/api/v1/spaces/").status_code == 200
    with spaces.schema():
        assert Space.objects.filter(school_class__name="3e T").count() == 1


def test_a_guardian_is_member_of_no_space_and_does_not_see_the_entry(spaces):
    guardian = spaces.school.guardian
    assert listed(spaces, guardian) == {}
    assert spaces.api(guardian).get(f"/api/v1/spaces/{spaces.class_space.pk}/").status_code == 404
    page = spaces.web(guardian).get("/spaces/")
    assert page.status_code == 200
    home = spaces.web(guardian).get("/")
    assert b'href="/spaces/"' not in home.content
    assert b'href="/spaces/"' in spaces.web(spaces.school.students[0]).get("/").content


def test_staff_outside_the_class_are_not_members(spaces):
    school = spaces.school
    for user in (school.admin, school.school_life):
        assert listed(spaces, user) == {}
        assert spaces.api(user).get(f"/api/v1/spaces/{spaces.class_space.pk}/").status_code == 404
    with schema_context(school.establishment.schema_name):
        assert Role.GUARDIAN not in spaces.m(school.students[0]).roles
