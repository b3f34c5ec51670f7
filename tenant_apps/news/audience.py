"""Who a news item is for: its recipient groups are messaging's audiences (a class's students,
teachers or guardians, all staff) and the students of a teaching group, expanded to members when
it is published (the notification), and matched against the reader when it is read (a fixed
number of queries, whatever the number of items: the reader's groups are worked out once)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from shared_apps.identity.roles import STAFF_ROLES, Role
from tenant_apps.messaging.audiences import KINDS, Audience, audiences_members
from tenant_apps.messaging.rules import students_of_teacher
from tenant_apps.news.models import NewsItem, NewsTarget, Visibility
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Group

__all__ = ["KINDS", "Audience", "GroupAudience", "Target", "item_readers", "visible_condition"]


@dataclass(frozen=True)
class GroupAudience:
    """The students of a teaching group (a language option, a half-class)."""

    group: Group
    kind: str = "group"

    def label(self) -> str:
        return _("Students of the group %(name)s") % {"name": self.group.name}


Target = Audience | GroupAudience


def item_targets(item: NewsItem) -> list[Target]:
    return [
        GroupAudience(t.group) if t.group is not None else Audience(t.kind, t.school_class)
        for t in item.targets.all()
    ]


def item_readers(item: NewsItem) -> QuerySet[Member]:
    """The members an item is for (everyone here for a public or members' item)."""
    active = Member.objects.filter(is_active=True)
    if item.visibility != Visibility.TARGETED:
        return active
    targets = item_targets(item)
    audiences = [t for t in targets if isinstance(t, Audience)]
    groups = [t.group.pk for t in targets if isinstance(t, GroupAudience)]
    condition = Q(pk__in=audiences_members(audiences).values("pk")) if audiences else Q(pk__in=[])
    if groups:
        condition |= Q(teaching_groups__in=groups, roles__contains=[Role.STUDENT])
    return active.filter(condition).distinct()


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
    if Role.STUDENT in roles:
        if member.school_class_id:
            targets |= Q(kind="students", school_class_id=member.school_class_id)
        mine = Group.members.through.objects.filter(member_id=member.pk).values("group_id")
        targets |= Q(kind="group", group_id__in=mine)
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
    """Every group an item may target, as ``("<kind>:<class or group id>", label)`` (two queries)."""
    choices = [("staff:", Audience("staff").label())]
    for school_class in SchoolClass.objects.order_by("level", "name"):
        for kind in ("students", "guardians", "teachers"):
            choices.append((f"{kind}:{school_class.pk}", Audience(kind, school_class).label()))
    choices.extend((f"group:{g.pk}", GroupAudience(g).label()) for g in Group.objects.order_by("name"))
    return choices


def targets_from(keys: list[tuple[str, int | None]]) -> list[Target]:
    """Targets from (kind, class or group id) pairs (two queries); an unknown id: ``KeyError``."""
    class_ids = [pk for kind, pk in keys if pk and kind != "group"]
    group_ids = [pk for kind, pk in keys if pk and kind == "group"]
    classes = {c.pk: c for c in SchoolClass.objects.filter(pk__in=class_ids)} if class_ids else {}
    groups = {g.pk: g for g in Group.objects.filter(pk__in=group_ids)} if group_ids else {}
    found: list[Target] = []
    for kind, pk in keys:
        if kind == "group":
            found.append(GroupAudience(groups[pk or 0]))
        else:
            found.append(Audience(kind, classes[pk] if pk else None))
    return found
