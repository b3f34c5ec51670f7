"""Who a news item is for: its recipient groups are messaging's audiences (a class's students,
teachers or guardians, all staff), expanded to members when it is published (the notification),
and matched against the reader when it is read (a fixed number of queries, whatever the number
of items: the reader's groups are worked out once)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from shared_apps.identity.roles import STAFF_ROLES, Role
from tenant_apps.messaging.audiences import KINDS, Audience, audiences_members
from tenant_apps.messaging.rules import students_of_teacher
from tenant_apps.news.models import NewsItem, NewsTarget, Visibility
from tenant_apps.school.models import Member, SchoolClass

__all__ = ["KINDS", "Audience", "item_audiences", "item_readers", "visible_condition"]


def item_audiences(item: NewsItem) -> list[Audience]:
    return [Audience(t.kind, t.school_class) for t in item.targets.all()]


def item_readers(item: NewsItem) -> QuerySet[Member]:
    """The members an item is for (everyone here for a public or members' item)."""
    if item.visibility == Visibility.TARGETED:
        return audiences_members(item_audiences(item))
    return Member.objects.filter(is_active=True)


def children_here(member: Member) -> QuerySet[Member]:
    """A guardian's children who study here (one subquery on the public guardian links)."""
    from shared_apps.identity.models import GuardianLink

    children = GuardianLink.objects.filter(guardian_id=member.user_id).values("child_id")
    return Member.objects.filter(user_id__in=children, is_active=True, roles__contains=[Role.STUDENT])


def visible_condition(member: Member | None) -> Q:
    """The items (a condition on ``NewsItem``) this reader is meant to see, whatever their state:
    the public ones for a visitor; for a member also everyone's and the targeted items of the
    groups they belong to."""
    if member is None:
        return Q(visibility=Visibility.PUBLIC)
    roles = set(member.roles or [])
    targets = Q(pk__in=[])
    if roles & STAFF_ROLES:
        targets |= Q(kind="staff")
    if Role.STUDENT in roles and member.school_class_id:
        targets |= Q(kind="students", school_class_id=member.school_class_id)
    if Role.GUARDIAN in roles:
        targets |= Q(kind="guardians", school_class_id__in=children_here(member).values("school_class_id"))
    if Role.TEACHER in roles:
        taught = students_of_teacher(member).filter(school_class__isnull=False).values("school_class_id")
        targets |= Q(kind="teachers", school_class_id__in=taught)
    matching = NewsTarget.objects.filter(targets).values("item_id")
    return Q(visibility__in=[Visibility.PUBLIC, Visibility.MEMBERS]) | Q(
        visibility=Visibility.TARGETED, pk__in=matching
    )


def audience_choices() -> list[tuple[str, str]]:
    """Every group an item may target, as ``("<kind>:<class id>", label)`` (one query)."""
    choices = [("staff:", Audience("staff").label())]
    for school_class in SchoolClass.objects.order_by("level", "name"):
        for kind in ("students", "guardians", "teachers"):
            choices.append((f"{kind}:{school_class.pk}", Audience(kind, school_class).label()))
    return choices
