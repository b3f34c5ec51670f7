"""Reads in the current establishment's schema."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from mbn_platform.kernel.collation import sorted_french
from mbn_platform.kernel.tenant_cache import tenant_cached
from shared_apps.identity.roles import Role
from tenant_apps.school.models import Member, SchoolClass


def member_count() -> int:
    return Member.objects.filter(is_active=True).count()


#: How long the home page's headcounts may lag behind the members (a summary, not a register).
OVERVIEW_SECONDS = 60


def school_overview() -> dict[str, int]:
    """Headcounts for the establishment's home page, in one query over all its members, cached
    in its schema for ``OVERVIEW_SECONDS``."""

    def count() -> dict[str, int]:
        return Member.objects.filter(is_active=True).aggregate(
            students=Count("pk", filter=Q(roles__contains=[Role.STUDENT])),
            teachers=Count("pk", filter=Q(roles__contains=[Role.TEACHER])),
            guardians=Count("pk", filter=Q(roles__contains=[Role.GUARDIAN])),
        )

    return tenant_cached("school:overview", count, timeout=OVERVIEW_SECONDS)


def classes_with_headcount() -> QuerySet[SchoolClass]:
    return SchoolClass.objects.annotate(headcount=Count("students", filter=Q(students__is_active=True)))


def member_for_user(*, user_id: int) -> Member | None:
    return Member.objects.select_related("school_class").filter(user_id=user_id).first()


def classes_visible(*, user_id: int, roles: frozenset[str]) -> QuerySet[SchoolClass]:
    """The classes a person may see here: all for staff, their own for a student, their
    children's for a guardian, none otherwise."""
    from shared_apps.identity.models import GuardianLink
    from shared_apps.identity.roles import STAFF_ROLES

    if roles & STAFF_ROLES:
        return SchoolClass.objects.all()
    user_ids: list[int] = []
    if Role.STUDENT in roles:
        user_ids.append(user_id)
    if Role.GUARDIAN in roles:
        user_ids.extend(GuardianLink.objects.filter(guardian_id=user_id).values_list("child_id", flat=True))
    if not user_ids:
        return SchoolClass.objects.none()
    return SchoolClass.objects.filter(students__user_id__in=user_ids, students__is_active=True).distinct()


def class_students(*, school_class: SchoolClass) -> list[Member]:
    """The class's active members, in French alphabetical order."""
    return sorted_french(
        Member.objects.filter(school_class=school_class, is_active=True), key=lambda m: m.display_name
    )


def members_by_user(*, user_ids: list[int]) -> dict[int, Member]:
    """The local rows of these people, with their class (one query in the current schema)."""
    return {m.user_id: m for m in Member.objects.select_related("school_class").filter(user_id__in=user_ids)}


def children_here(*, guardian_id: int) -> list[Member]:
    """A guardian's children who are students of this establishment, with their class (two
    queries: the links in the public schema, the rows in this one)."""
    from shared_apps.identity.models import GuardianLink

    child_ids = list(GuardianLink.objects.filter(guardian_id=guardian_id).values_list("child_id", flat=True))
    if not child_ids:
        return []
    return list(
        Member.objects.select_related("school_class")
        .filter(user_id__in=child_ids, is_active=True, roles__contains=[Role.STUDENT])
        .order_by("display_name")
    )
