"""The family view's data: a guardian's children, their schools and classes, and what is new.

Public tables give the children and where they study (a fixed number of queries); then each
school's schema is read once, on its own (``schema_context``: never SQL across several schemas):
the children's local rows with their class (through ``local_members``, the school app's hook), and
what the registered providers have to say (``family_news``). The count of queries grows with the
number of schools, never with the number of grades, absences or messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest
from django_tenants.utils import schema_context

from mbn_platform.kernel.errors import NotFound
from mbn_platform.kernel.generations import scopes_declare, user_scope
from mbn_platform.kernel.tenancy import url_on_host
from shared_apps.identity.family_news import FamilyChild, NewsItem, family_news_cached
from shared_apps.identity.local_members import LocalMember, local_members
from shared_apps.identity.models import GuardianLink, User
from shared_apps.identity.selectors import children_of, guardian_link_here, student_memberships
from tenants.models import Establishment
from tenants.selectors import establishment_primary_host


@dataclass(frozen=True)
class ChildSchool:
    """One school of a child, as the family view shows it (absolute URLs: another host)."""

    name: str
    url: str
    child_url: str
    class_name: str
    news: list[NewsItem] = field(default_factory=list)


@dataclass(frozen=True)
class ChildOverview:
    user_id: int
    name: str
    can_act: bool
    responsibility: str
    schools: list[ChildSchool]


def family_overview(*, request: HttpRequest, guardian: User) -> list[ChildOverview]:
    """Each linked child with their current schools, class and news."""
    links = list(children_of(guardian=guardian))
    # The children's schools and classes are theirs: a page held with them depends on them.
    scopes_declare(user_scope(link.child_id) for link in links)
    by_school: dict[int, tuple[Establishment, list[GuardianLink]]] = {}
    link_of = {link.child_id: link for link in links}
    for membership in student_memberships(child_ids=list(link_of)):
        est = membership.establishment
        by_school.setdefault(est.pk, (est, []))[1].append(link_of[membership.user_id])
    schools: dict[int, list[ChildSchool]] = {}
    for est, school_links in by_school.values():
        host = establishment_primary_host(est)
        if host is None:
            continue
        with schema_context(est.schema_name):
            members = local_members().members_of(user_ids=[link.child_id for link in school_links])
            children = [
                FamilyChild(user=link.child, member=members.get(link.child_id), can_act=link.can_act)
                for link in school_links
            ]
            news = family_news_cached(establishment=est, guardian=guardian, children=children)
        for child in children:
            schools.setdefault(child.user_id, []).append(
                ChildSchool(
                    name=est.name,
                    url=url_on_host(request, host),
                    child_url=url_on_host(request, host, f"/children/{child.user_id}/"),
                    class_name=_class_name(child.member),
                    news=[_absolute(request, host, item) for item in news[child.user_id]],
                )
            )
    return [
        ChildOverview(
            user_id=link.child_id,
            name=link.child.display_name,
            can_act=link.can_act,
            responsibility=link.get_responsibility_level_display(),
            schools=schools.get(link.child_id, []),
        )
        for link in links
    ]


@dataclass(frozen=True)
class ChildHere:
    """A child on their school's host, as their guardian sees them."""

    user_id: int
    name: str
    member: LocalMember | None
    can_act: bool
    responsibility: str
    news: list[NewsItem]

    @property
    def class_name(self) -> str:
        return _class_name(self.member)


def family_child_here(*, guardian: User, child_id: int, establishment: Establishment) -> ChildHere:
    """A child of this guardian who studies in this establishment; anyone else is not found (404):
    a child the guardian is not linked to, or who does not study here."""
    link = guardian_link_here(guardian_id=guardian.pk, child_id=child_id, establishment_id=establishment.pk)
    if link is None:
        raise NotFound()
    with schema_context(establishment.schema_name):
        member = local_members().members_of(user_ids=[child_id]).get(child_id)
        child = FamilyChild(user=link.child, member=member, can_act=link.can_act)
        news = family_news_cached(establishment=establishment, guardian=guardian, children=[child])
    return ChildHere(
        user_id=child_id,
        name=link.child.display_name,
        member=member,
        can_act=link.can_act,
        responsibility=link.get_responsibility_level_display(),
        news=news[child_id],
    )


def _class_name(member: LocalMember | None) -> str:
    return member.school_class.name if member is not None and member.school_class is not None else ""


def _absolute(request: HttpRequest, host: str, item: NewsItem) -> NewsItem:
    if not item.url.startswith("/"):
        return item
    return NewsItem(text=item.text, url=url_on_host(request, host, item.url), kind=item.kind, at=item.at)
