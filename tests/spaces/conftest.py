from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django_tenants.utils import schema_context

from shared_apps.identity.models import User
from tenant_apps.school.models import Member
from tenant_apps.spaces.documents_link import documents_register
from tenant_apps.spaces.models import Space
from tenant_apps.structure.services import teaching_assignment_create
from tests.conftest import client_for
from tests.timetable.helpers import School, make_school


@dataclass
class Spaces:
    school: School
    class_space: Space  # 6e T: the three students, the teacher (mathematics) as owner
    other_space: Space  # 5e T: the other student, the other teacher
    group_space: Space  # Anglais LV2 T: students[0] and other_student, the other teacher (English)

    def m(self, user: User) -> Member:
        return Member.objects.get(user_id=user.pk)

    def api(self, user: User) -> Any:
        return client_for(user, self.school.establishment, api=True)

    def web(self, user: User) -> Any:
        return client_for(user, self.school.establishment)

    def schema(self) -> Any:
        return schema_context(self.school.establishment.schema_name)


@pytest.fixture(autouse=True)
def _space_rights_registered() -> None:
    """The spaces' rights are the libraries' (registered at start-up; the documents tests put a
    test hook in its place and clear it after them)."""
    documents_register()


@pytest.fixture
def spaces(school_a) -> Spaces:
    school = make_school(school_a)
    with schema_context(school_a.schema_name):
        teaching_assignment_create(
            actor=None,
            teacher=school.m(school.teacher),
            subject=school.math,
            school_class=school.school_class,
        )
        teaching_assignment_create(
            actor=None,
            teacher=school.m(school.other_teacher),
            subject=school.math,
            school_class=school.other_class,
        )
        teaching_assignment_create(
            actor=None, teacher=school.m(school.other_teacher), subject=school.english, group=school.group
        )
        return Spaces(
            school,
            Space.objects.get(school_class=school.school_class),
            Space.objects.get(school_class=school.other_class),
            Space.objects.get(group=school.group),
        )
