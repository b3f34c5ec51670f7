"""Factories for region-wide people and their memberships."""

from __future__ import annotations

import factory

from shared_apps.identity.models import User
from shared_apps.identity.services import membership_grant
from tenants.models import Establishment

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    login = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password(PASSWORD)


def member(
    establishment: Establishment, role: str, *, class_name: str | None = None, **fields: object
) -> User:
    """A new person with one role in an establishment (through the identity service)."""
    user = UserFactory(**fields)
    membership_grant(actor=None, user=user, establishment=establishment, role=role, class_name=class_name)
    return user
