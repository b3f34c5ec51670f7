"""Recipient groups a member of staff may send to, expanded to members in one query each: a class's
students, a class's teachers, a class's guardians, all staff."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from shared_apps.identity.roles import STAFF_ROLES, Role
from tenant_apps.messaging.rules import teachers_of
from tenant_apps.school.models import Member, SchoolClass

KINDS = ("students", "teachers", "guardians", "staff")


@dataclass(frozen=True)
class Audience:
    kind: str  # one of KINDS
    school_class: SchoolClass | None = None

    def label(self) -> str:
        name = self.school_class.name if self.school_class is not None else ""
        return {
            "students": _("Students of %(name)s"),
            "teachers": _("Teachers of %(name)s"),
            "guardians": _("Guardians of %(name)s"),
            "staff": _("All staff"),
        }[self.kind] % {"name": name}

    def members(self) -> QuerySet[Member]:
        active = Member.objects.filter(is_active=True)
        if self.kind == "staff":
            return active.filter(roles__overlap=list(STAFF_ROLES))
        students = active.filter(roles__contains=[Role.STUDENT], school_class=self.school_class)
        if self.kind == "students":
            return students
        if self.kind == "teachers":
            return active.filter(roles__contains=[Role.TEACHER]).filter(teachers_of(students))
        from shared_apps.identity.models import GuardianLink

        guardians = GuardianLink.objects.filter(child_id__in=students.values("user_id")).values("guardian_id")
        return active.filter(roles__contains=[Role.GUARDIAN]).filter(Q(user_id__in=guardians))
