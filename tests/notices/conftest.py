from __future__ import annotations

from dataclasses import dataclass

import pytest
from django_tenants.utils import schema_context

from shared_apps.identity.models import User
from shared_apps.identity.roles import Role
from shared_apps.identity.services import guardian_link_create
from tenant_apps.news import services
from tenant_apps.news.models import Notice
from tests.factories import member
from tests.messaging.conftest import People, people  # noqa: F401  (the fixture)


@dataclass
class Carnet:
    people: People
    second_guardian: User  # guardian of the class's second student
    notice: Notice  # sent by the class's teacher to the guardians of the class


@pytest.fixture
def carnet(people: People) -> Carnet:  # noqa: F811
    school = people.school
    second = member(school.establishment, Role.GUARDIAN)
    guardian_link_create(actor=None, guardian=second, child=school.students[1])
    with schema_context(school.establishment.schema_name):
        notice = services.notice_send(
            actor=school.teacher,
            title="Sortie au musée jeudi",
            body="<p>Prévoir un pique-nique.</p>",
            school_class=school.school_class,
        )
    return Carnet(people, second, notice)
