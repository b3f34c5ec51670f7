from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django_tenants.utils import schema_context

from shared_apps.identity.models import User
from shared_apps.identity.roles import Role
from shared_apps.identity.services import guardian_link_create
from tenant_apps.messaging import services
from tenant_apps.messaging.models import Thread
from tenant_apps.school.models import Member
from tests.factories import member
from tests.timetable.helpers import School, make_school, t


@dataclass
class People:
    school: School
    by_role: dict[str, User]  # one person a role (the student: in the class the teacher teaches)
    other_student: User  # another class
    other_guardian: User  # the other student's guardian
    other_teacher: User  # teaches the other class only

    def m(self, user: User) -> Member:
        return Member.objects.get(user_id=user.pk)


@pytest.fixture
def people(school_a) -> People:
    school = make_school(school_a)
    school.lesson()  # the teacher teaches the class
    school.lesson(
        school_class=school.other_class,
        teacher=school.other_teacher,
        start_time=t("10:00"),
        end_time=t("11:00"),
    )
    other_guardian = member(school_a, Role.GUARDIAN)
    guardian_link_create(actor=None, guardian=other_guardian, child=school.other_student)
    by_role = {
        Role.STUDENT: school.students[0],
        Role.GUARDIAN: school.guardian,
        Role.TEACHER: school.teacher,
        Role.SCHOOL_LIFE: school.school_life,
        Role.ADMIN_STAFF: school.admin,
        Role.HEAD: member(school_a, Role.HEAD),
        Role.ESTABLISHMENT_ADMIN: member(school_a, Role.ESTABLISHMENT_ADMIN),
        Role.DIGITAL_REFERENT: member(school_a, Role.DIGITAL_REFERENT),
    }
    return People(school, by_role, school.other_student, other_guardian, school.other_teacher)


def start(people: People, sender: User, recipients: list[User], **options: Any) -> Thread:
    with schema_context(people.school.establishment.schema_name):
        values: dict[str, Any] = {
            "subject": "Sortie au musée",
            "body": "Bonjour, les exercices sont en ligne.",
        }
        values.update(options)
        return services.thread_start(actor=sender, recipients=[people.m(u) for u in recipients], **values)
