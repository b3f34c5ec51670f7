"""The demo seed: the establishments of ``data.py``, built through the services (onboarding,
memberships, guardian links), so that the demo shows what the services really make.

Idempotent: running it again finds what exists and adds nothing twice.
"""

from __future__ import annotations

import functools
import itertools
import unicodedata

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django_tenants.utils import schema_context

from mbn_platform.demo.data import (
    DEMO_PASSWORD,
    DEMO_SCHOOLS,
    FIRST_NAMES,
    LAST_NAMES,
    STAFF,
    STUDENTS_PER_CLASS,
    DemoSchool,
)
from mbn_platform.demo.schoollife import demo_school_life
from shared_apps.identity.models import (
    Membership,
    MembershipStatus,
    RegionRoleAssignment,
    ResponsibilityLevel,
    User,
)
from shared_apps.identity.roles import RegionRole, Role
from shared_apps.identity.services import guardian_link_create, membership_grant
from tenant_apps.school.services import school_class_ensure
from tenants.models import Establishment
from tenants.provisioning.jobs import establishment_create


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return ascii_text.lower().replace(" ", "").replace("'", "")


@functools.cache
def _demo_password_hash() -> str:
    # Hashed once: a strong hash costs a fraction of a second, and the demo has hundreds of people.
    return make_password(DEMO_PASSWORD)


def _person(login: str, first_name: str, last_name: str, *, email: str = "") -> User:
    user = User.objects.filter(login=login).first()
    if user is None:
        user = User(login=login, first_name=first_name, last_name=last_name, email=email)
        user.password = _demo_password_hash()
        user.full_clean(exclude=["password"])
        user.save()
    return user


def _grant(user: User, establishment: Establishment, role: str, class_name: str | None = None) -> None:
    active = Membership.objects.filter(
        user=user, establishment=establishment, role=role, status=MembershipStatus.ACTIVE
    ).exists()
    if not active or class_name is not None:
        membership_grant(actor=None, user=user, establishment=establishment, role=role, class_name=class_name)


@transaction.atomic
def demo_school_seed(school: DemoSchool, names: itertools.cycle[tuple[str, str]]) -> Establishment:
    establishment = Establishment.objects.filter(uai=school.uai).first() or establishment_create(
        actor=None,
        uai=school.uai,
        name=school.name,
        kind=school.kind,
        academie="Strasbourg",
        departement="67",
        subdomain=school.subdomain,
    )
    with schema_context(establishment.schema_name):
        for class_name, level in school.classes:
            school_class_ensure(name=class_name, level=level)
    for role, first, last in STAFF:
        login = _slug(f"{first}.{last}.{school.subdomain}")
        user = _person(login, first, last, email=f"{login}@demo.mbn.invalid")
        _grant(user, establishment, role)
    for class_name, _level in school.classes:
        for index in range(STUDENTS_PER_CLASS):
            first, last = next(names)
            slug = _slug(class_name)
            student = _person(f"eleve.{school.subdomain}.{slug}.{index + 1}", first, last)
            _grant(student, establishment, Role.STUDENT, class_name)
            parent = _person(
                f"parent.{school.subdomain}.{slug}.{index + 1}", FIRST_NAMES[index * 3 % 30], last
            )
            guardian_link_create(actor=None, guardian=parent, child=student)
            _grant(parent, establishment, Role.GUARDIAN)
    return establishment


@transaction.atomic
def demo_family_seed(schools: list[Establishment]) -> User:
    """Claire Martin: one guardian with a child at the collège and one at the lycée."""
    claire = _person("claire.martin", "Claire", "Martin", email="claire.martin@demo.mbn.invalid")
    children = (
        (schools[0], "eleve.martin.lea", "Léa", DEMO_SCHOOLS[0].classes[2][0]),
        (schools[1], "eleve.martin.tom", "Tom", DEMO_SCHOOLS[1].classes[0][0]),
    )
    for establishment, login, first, class_name in children:
        child = _person(login, first, "Martin")
        _grant(child, establishment, Role.STUDENT, class_name)
        guardian_link_create(
            actor=None, guardian=claire, child=child, responsibility_level=ResponsibilityLevel.LEGAL
        )
        _grant(claire, establishment, Role.GUARDIAN)
    return claire


@transaction.atomic
def demo_region_staff_seed() -> None:
    """A region operator (the operators' console) and a support agent."""
    for login, first, last, role in (
        ("operateur.region", "Olivia", "Keller", RegionRole.REGION_OPERATOR),
        ("support.region", "Samuel", "Roth", RegionRole.SUPPORT),
    ):
        user = _person(login, first, last, email=f"{login}@demo.mbn.invalid")
        RegionRoleAssignment.objects.get_or_create(user=user, role=role)


def demo_seed() -> list[Establishment]:
    names = itertools.cycle(
        [(FIRST_NAMES[(i * 7) % len(FIRST_NAMES)], LAST_NAMES[(i * 5) % len(LAST_NAMES)]) for i in range(997)]
    )
    schools = [demo_school_seed(school, names) for school in DEMO_SCHOOLS]
    demo_family_seed(schools)
    demo_region_staff_seed()
    demo_school_life(schools[0])
    return schools
