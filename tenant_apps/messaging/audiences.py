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


def audiences_members(audiences: list[Audience]) -> QuerySet[Member]:
    """The members of several groups at once: one condition per kind over all their classes (one
    query, whatever the number of classes: the guardians of 40 classes are one subquery)."""
    from shared_apps.identity.models import GuardianLink

    by_kind: dict[str, set[int]] = {}
    for audience in audiences:
        by_kind.setdefault(audience.kind, set()).add(audience.school_class.pk if audience.school_class else 0)
    active = Member.objects.filter(is_active=True)
    condition = Q(pk__in=[])
    if "staff" in by_kind:
        condition |= Q(roles__overlap=list(STAFF_ROLES))
    students = Member.objects.filter(
        is_active=True,
        roles__contains=[Role.STUDENT],
        school_class_id__in=sorted(by_kind.get("students", set()) | by_kind.get("guardians", set())),
    )
    if "students" in by_kind:
        condition |= Q(pk__in=students.filter(school_class_id__in=sorted(by_kind["students"])).values("pk"))
    if "teachers" in by_kind:
        taught = Member.objects.filter(
            is_active=True, roles__contains=[Role.STUDENT], school_class_id__in=sorted(by_kind["teachers"])
        )
        condition |= Q(roles__contains=[Role.TEACHER]) & teachers_of(taught)
    if "guardians" in by_kind:
        children = students.filter(school_class_id__in=sorted(by_kind["guardians"])).values("user_id")
        guardians = GuardianLink.objects.filter(child_id__in=children).values("guardian_id")
        condition |= Q(roles__contains=[Role.GUARDIAN], user_id__in=guardians)
    return active.filter(condition)
