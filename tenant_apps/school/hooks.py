"""What the school app tells the public side at start-up (``SchoolConfig.ready()``): how it keeps
its local rows of people in step with identity's memberships, what the directory reads of its
classes, and the defaults a new establishment's schema starts with. The public apps call these in
the establishment's schema; they never import this app (design brief §1)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

from django.db.models import Count, Q

from shared_apps.directory.school_roll import RollClass, school_roll_register
from shared_apps.identity.local_members import LocalMember, MemberRow, local_members_register
from shared_apps.identity.roles import Role
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.school.selectors import members_by_user
from tenant_apps.school.services import (
    member_upsert,
    members_bulk_upsert,
    members_deactivate,
    school_settings_ensure,
)
from tenants.models import Establishment
from tenants.provisioning.defaults import establishment_defaults_register


class SchoolMembers:
    """Identity's ``LocalMembers``: the establishment's ``Member`` rows."""

    def member_write(self, *, row: MemberRow) -> None:
        member_upsert(
            user_id=row.user_id, display_name=row.display_name, roles=row.roles, class_name=row.class_name
        )

    def members_write(self, *, rows: Sequence[MemberRow]) -> int:
        return members_bulk_upsert(rows=rows)

    def members_deactivate(self, *, user_ids: Iterable[int]) -> None:
        members_deactivate(user_ids=user_ids)

    def members_of(self, *, user_ids: Iterable[int]) -> Mapping[int, LocalMember]:
        return members_by_user(user_ids=list(user_ids))

    def class_exists(self, *, name: str) -> bool:
        return SchoolClass.objects.filter(name=name).exists()


class SchoolClassesRoll:
    """The directory's ``SchoolRoll``: classes and who is in them, for activation letters and for
    matching an import's students to their class."""

    def classes(self) -> list[RollClass]:
        students = Q(students__is_active=True, students__roles__contains=[Role.STUDENT])
        return [
            RollClass(pk=c.pk, name=c.name, level=c.level, headcount=c.headcount)
            for c in SchoolClass.objects.annotate(headcount=Count("students", filter=students)).order_by(
                "level", "name"
            )
        ]

    def class_get(self, *, class_id: int) -> RollClass | None:
        found = SchoolClass.objects.filter(pk=class_id).first()
        return RollClass(pk=found.pk, name=found.name, level=found.level) if found else None

    def class_students(self, *, class_id: int) -> list[tuple[int, str]]:
        return list(
            Member.objects.filter(school_class_id=class_id, is_active=True, roles__contains=[Role.STUDENT])
            .order_by("display_name")
            .values_list("user_id", "display_name")
        )

    def members_with_roles(self, *, roles: Collection[str]) -> list[int]:
        return list(
            Member.objects.filter(is_active=True, roles__overlap=sorted(roles))
            .order_by("display_name")
            .values_list("user_id", flat=True)
        )

    def member_classes(self) -> dict[int, str]:
        return dict(
            Member.objects.filter(school_class__isnull=False).values_list("user_id", "school_class__name")
        )


def school_defaults(establishment: Establishment) -> None:
    """The settings row of a new establishment (its name as the display name)."""
    school_settings_ensure(display_name=establishment.name)


def hooks_register() -> None:
    local_members_register(SchoolMembers())
    school_roll_register(SchoolClassesRoll())
    establishment_defaults_register(school_defaults)
