"""The family view's data: a guardian's children and the establishments where they study."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from shared_apps.identity.models import User
from shared_apps.identity.selectors import children_of, student_memberships
from tenants.selectors import establishment_primary_host


@dataclass(frozen=True)
class ChildSchool:
    name: str
    url: str


@dataclass(frozen=True)
class ChildOverview:
    name: str
    can_act: bool
    responsibility: str
    schools: list[ChildSchool]


def family_overview(*, request: HttpRequest, guardian: User) -> list[ChildOverview]:
    """Each linked child with their current schools (two queries, whatever the family's size)."""
    links = list(children_of(guardian=guardian))
    port = request.get_port()
    suffix = "" if port in ("80", "443") else f":{port}"
    schools: dict[int, list[ChildSchool]] = {}
    for membership in student_memberships(child_ids=[link.child_id for link in links]):
        est = membership.establishment
        schools.setdefault(membership.user_id, []).append(
            ChildSchool(name=est.name, url=f"{request.scheme}://{establishment_primary_host(est)}{suffix}/")
        )
    return [
        ChildOverview(
            name=link.child.display_name,
            can_act=link.can_act,
            responsibility=link.get_responsibility_level_display(),
            schools=schools.get(link.child_id, []),
        )
        for link in links
    ]
