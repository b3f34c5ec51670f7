"""The demo's establishments and people, through the identity and directory bulk writers (the
paths a directory import takes): accounts, memberships, local member rows, guardian links. The
Martin family has a child at the collège and one at the lycée; the region has an operator and a
support agent. Personas that need a second factor get a known authenticator secret."""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from mbn_platform.demo.data import (
    DEMO_PASSWORD,
    FIRST_NAMES,
    LAST_NAMES,
    STAFF,
    STUDENTS_PER_CLASS,
    TEACHERS,
    DemoSchool,
)
from mbn_platform.demo.personas import PERSONAS
from mbn_platform.kernel.audit import audit_record
from shared_apps.identity.auth_models import TOTPDevice
from shared_apps.identity.models import RegionRoleAssignment, ResponsibilityLevel, User
from shared_apps.identity.roles import RegionRole, Role
from shared_apps.identity.services import guardian_links_bulk_apply, members_bulk_sync, memberships_bulk_apply
from tenants.models import Establishment
from tenants.provisioning.domains import establishment_subdomain_change
from tenants.provisioning.jobs import establishment_create

#: The Martin children: (school subdomain, login, first name, class).
MARTIN_CHILDREN = (
    ("pasteur", "eleve.martin.lea", "Léa", "4e B"),
    ("kleber", "eleve.martin.tom", "Tom", "2nde 1"),
)
REGION_STAFF = (
    ("operateur.region", "Olivia", "Keller", RegionRole.REGION_OPERATOR),
    ("support.region", "Samuel", "Roth", RegionRole.SUPPORT),
)


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return ascii_text.lower().replace(" ", "").replace("'", "")


@functools.cache
def _password_hash() -> str:
    # Hashed once: a strong hash costs a fraction of a second, and the demo has hundreds of people.
    return make_password(DEMO_PASSWORD)


@dataclass
class SchoolPeople:
    """Who is who in one demo school (region-wide accounts)."""

    staff: dict[str, User] = field(default_factory=dict)  # by role
    teachers: list[User] = field(default_factory=list)  # in the order of data.TEACHERS
    students: dict[str, list[User]] = field(default_factory=dict)  # by class name
    guardians: dict[int, User] = field(default_factory=dict)  # child's user id -> a guardian


@dataclass(frozen=True)
class _Person:
    login: str
    first_name: str
    last_name: str
    email: str = ""


def _people_ensure(people: list[_Person]) -> dict[str, User]:
    """The accounts of these logins, the missing ones created in one query."""
    logins = [p.login for p in people]
    existing = set(User.objects.filter(login__in=logins).values_list("login", flat=True))
    User.objects.bulk_create(
        [
            User(
                login=p.login,
                first_name=p.first_name,
                last_name=p.last_name,
                email=p.email,
                password=_password_hash(),
            )
            for p in people
            if p.login not in existing
        ],
        batch_size=1000,
    )
    return {u.login: u for u in User.objects.filter(login__in=logins)}


def _staff_email(login: str) -> str:
    return f"{login}@demo.mbn.invalid"


def _staff_person(first: str, last: str, subdomain: str) -> _Person:
    login = slug(f"{first}.{last}.{subdomain}")
    return _Person(login, first, last, _staff_email(login))


def establishment_ensure(school: DemoSchool) -> Establishment:
    """The school's establishment (created through onboarding), on its subdomain of today's base
    domain (a database seeded under another base domain moves: the old address redirects)."""
    establishment = Establishment.objects.filter(uai=school.uai).first()
    if establishment is None:
        return establishment_create(
            actor=None,
            uai=school.uai,
            name=school.name,
            kind=school.kind,
            academie="Strasbourg",
            departement="67",
            subdomain=school.subdomain,
        )
    establishment_subdomain_change(actor=None, establishment=establishment, subdomain=school.subdomain)
    return establishment


@transaction.atomic
def school_people_seed(school: DemoSchool, establishment: Establishment, offset: int) -> SchoolPeople:
    """Staff, teachers, students (``STUDENTS_PER_CLASS`` a class) and a guardian for each."""
    sub = school.subdomain
    staff = [(role, _staff_person(first, last, sub)) for role, first, last in STAFF]
    teachers = [_staff_person(first, last, sub) for first, last in TEACHERS]
    students: list[tuple[str, _Person, _Person]] = []
    index = offset
    for class_name, _level in school.classes:
        for number in range(1, STUDENTS_PER_CLASS + 1):
            first = FIRST_NAMES[(index * 7) % len(FIRST_NAMES)]
            last = LAST_NAMES[(index * 5) % len(LAST_NAMES)]
            parent_first = FIRST_NAMES[(index * 3 + 11) % len(FIRST_NAMES)]
            index += 1
            key = f"{sub}.{slug(class_name)}.{number}"
            students.append(
                (
                    class_name,
                    _Person(f"eleve.{key}", first, last),
                    _Person(f"parent.{key}", parent_first, last, _staff_email(f"parent.{key}")),
                )
            )
    everyone = [p for _r, p in staff] + teachers + [p for _c, s, g in students for p in (s, g)]
    accounts = _people_ensure(everyone)
    grants = [(accounts[p.login].pk, role) for role, p in staff]
    grants += [(accounts[p.login].pk, Role.TEACHER) for p in teachers]
    grants += [(accounts[s.login].pk, Role.STUDENT) for _c, s, _g in students]
    grants += [(accounts[g.login].pk, Role.GUARDIAN) for _c, _s, g in students]
    memberships_bulk_apply(establishment=establishment, grants=grants, ends=[])
    members_bulk_sync(
        establishment=establishment,
        user_ids={user_id for user_id, _role in grants},
        class_names={accounts[s.login].pk: class_name for class_name, s, _g in students},
    )
    guardian_links_bulk_apply(
        upserts=[
            (accounts[g.login].pk, accounts[s.login].pk, ResponsibilityLevel.LEGAL, True)
            for _c, s, g in students
        ]
    )
    audit_record(
        actor=None,
        action="demo.people_seeded",
        establishment=establishment,
        details={"people": len(everyone), "memberships": len(grants)},
    )
    result = SchoolPeople(
        staff={role: accounts[p.login] for role, p in staff},
        teachers=[accounts[p.login] for p in teachers],
    )
    for class_name, student, guardian in students:
        result.students.setdefault(class_name, []).append(accounts[student.login])
        result.guardians[accounts[student.login].pk] = accounts[guardian.login]
    return result


@transaction.atomic
def family_seed(establishments: dict[str, Establishment], people: dict[str, SchoolPeople]) -> User:
    """Claire Martin: a guardian of Léa at the collège and of Tom at the lycée."""
    accounts = _people_ensure(
        [_Person("claire.martin", "Claire", "Martin", _staff_email("claire.martin"))]
        + [_Person(login, first, "Martin") for _sub, login, first, _class in MARTIN_CHILDREN]
    )
    claire = accounts["claire.martin"]
    for sub, login, _first, class_name in MARTIN_CHILDREN:
        establishment, child = establishments[sub], accounts[login]
        memberships_bulk_apply(
            establishment=establishment,
            grants=[(child.pk, Role.STUDENT), (claire.pk, Role.GUARDIAN)],
            ends=[],
        )
        members_bulk_sync(
            establishment=establishment, user_ids=[child.pk, claire.pk], class_names={child.pk: class_name}
        )
        guardian_links_bulk_apply(upserts=[(claire.pk, child.pk, ResponsibilityLevel.LEGAL, True)])
        school = people[sub]
        if child not in school.students.setdefault(class_name, []):
            school.students[class_name].append(child)
        school.guardians[child.pk] = claire
    return claire


@transaction.atomic
def region_staff_seed() -> None:
    """A region operator (the operators' console) and a support agent."""
    accounts = _people_ensure(
        [_Person(login, first, last, _staff_email(login)) for login, first, last, _r in REGION_STAFF]
    )
    for login, _first, _last, role in REGION_STAFF:
        RegionRoleAssignment.objects.get_or_create(user=accounts[login], role=role)


@transaction.atomic
def personas_second_factor_seed() -> None:
    """The printed staff and region personas get their known authenticator secret (confirmed), so
    that a visitor signs in with a code from an app or from ``mbn demo --code LOGIN``."""
    wanted = {p.login: p for p in PERSONAS if p.second_factor}
    for user in User.objects.filter(login__in=wanted):
        secret = wanted[user.login].totp_secret
        device = TOTPDevice.objects.filter(user=user).first()
        if device is None:
            TOTPDevice.objects.create(user=user, secret=secret, confirmed_at=timezone.now())
        elif device.secret != secret or device.confirmed_at is None:
            device.secret, device.pending_secret, device.confirmed_at = secret, "", timezone.now()
            device.save(update_fields=["secret", "pending_secret", "confirmed_at"])
