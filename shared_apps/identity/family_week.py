"""A person's lessons in every establishment of theirs, and their children's: the portal's week
(a guardian's children together) and the personal calendar feed, one for all the schools.

Identity knows where people study and teach (memberships, guardian links) but not the timetable:
the timetable app registers a provider at start-up (``lessons_provider_register``). The provider
is called once per establishment, inside its schema (``schema_context``: never SQL across several
schemas), with the people to read there; it answers in a fixed number of queries per person.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django_tenants.utils import schema_context

from shared_apps.identity.models import Membership, MembershipStatus, User
from shared_apps.identity.roles import Role
from shared_apps.identity.selectors import children_of, student_memberships
from tenants.models import Establishment


@dataclass(frozen=True)
class PersonHere:
    """Someone whose lessons to read in one establishment, and as what."""

    user_id: int
    name: str
    as_student: bool
    as_teacher: bool


@dataclass(frozen=True)
class LessonItem:
    """One lesson of one person, as the portal and the feed show it."""

    uid: str  # stable across reads (the feed's event id)
    user_id: int
    date: datetime.date
    start: datetime.time
    end: datetime.time
    subject: str
    audience: str
    teacher: str
    room: str
    cancelled: bool = False
    changed: bool = False
    note: str = ""
    person: str = ""  # filled in by ``lessons_of``
    school: str = ""

    def starts_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.date, self.start, tzinfo=ZoneInfo(settings.TIME_ZONE))

    def ends_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.date, self.end, tzinfo=ZoneInfo(settings.TIME_ZONE))


#: ``(people, start, end) -> lessons``; ``start``/``end`` None: the establishment's school year.
LessonsProvider = Callable[
    [Sequence[PersonHere], datetime.date | None, datetime.date | None], list[LessonItem]
]
_providers: list[LessonsProvider] = []


def lessons_provider_register(provider: LessonsProvider) -> None:
    """Plug in how an establishment's lessons are read (the timetable app, at start-up)."""
    _providers[:] = [provider]


def people_by_establishment(*, user: User) -> list[tuple[Establishment, list[PersonHere]]]:
    """The establishments where the person studies or teaches, or where a child of theirs studies,
    each with whom to read there (a fixed number of queries, public schema only)."""
    found: dict[int, tuple[Establishment, dict[int, PersonHere]]] = {}

    def add(est: Establishment, person: PersonHere) -> None:
        people = found.setdefault(est.pk, (est, {}))[1]
        known = people.get(person.user_id)
        if known is not None:
            person = PersonHere(
                person.user_id,
                person.name,
                person.as_student or known.as_student,
                person.as_teacher or known.as_teacher,
            )
        people[person.user_id] = person

    own = Membership.objects.filter(
        user=user, status=MembershipStatus.ACTIVE, role__in=[Role.STUDENT, Role.TEACHER]
    ).select_related("establishment")
    for membership in own:
        add(
            membership.establishment,
            PersonHere(
                user.pk, user.display_name, membership.role == Role.STUDENT, membership.role == Role.TEACHER
            ),
        )
    links = {link.child_id: link.child for link in children_of(guardian=user)}
    for membership in student_memberships(child_ids=list(links)):
        child = links[membership.user_id]
        add(membership.establishment, PersonHere(child.pk, child.display_name, True, False))
    return [(est, list(people.values())) for est, people in found.values()]


def lessons_of(
    *, user: User, start: datetime.date | None = None, end: datetime.date | None = None
) -> list[LessonItem]:
    """Every lesson of the person and their children in all their establishments, between
    ``start`` and ``end`` (None: each establishment's current school year), by time."""
    if not _providers:
        return []
    found: list[LessonItem] = []
    for establishment, people in people_by_establishment(user=user):
        names = {p.user_id: p.name for p in people}
        with schema_context(establishment.schema_name):
            items = _providers[0](people, start, end)
        found.extend(
            LessonItem(
                **{**item.__dict__, "person": names.get(item.user_id, ""), "school": establishment.name}
            )
            for item in items
        )
    return sorted(found, key=lambda i: (i.date, i.start, i.person))
