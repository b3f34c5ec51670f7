"""A class's report cards for the drills: committed in the session's first school (a worker and
a web server read it), uniquely named, removed at the end."""

from __future__ import annotations

import contextlib
import datetime
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import psycopg
from django.core.files.storage import default_storage
from django.db import connection
from django_tenants.utils import schema_context
from psycopg import sql

from shared_apps.identity.models import GuardianLink, User
from shared_apps.identity.roles import Role
from shared_apps.notifications.models import NotificationSettings
from shared_apps.notify.types import EmailMode
from tenant_apps.grades.models import Assessment, Grade
from tenant_apps.notifications.models import Notification
from tenant_apps.reportcards.models import Publication, ReportCard
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Period, SchoolYear, Subject
from tenants.models import Establishment
from tests.conftest import SESSION_SCHOOLS
from tests.reliability.workers import database_url

TRIMESTERS = [
    (datetime.date(2030, 9, 2), datetime.date(2030, 11, 30)),
    (datetime.date(2030, 12, 1), datetime.date(2031, 3, 1)),
]


@dataclass
class ClassWorld:
    school: Establishment
    periods: list[Period]  # the year's first two trimesters, graded
    school_class: SchoolClass
    students: list[Member]  # in the order the class's report cards are made
    guardians: list[User]

    @property
    def period(self) -> Period:
        return self.periods[0]

    def publication(self, period: Period | None = None) -> Publication:
        """A publication of the class's report cards, queued (its task not sent)."""
        with schema_context(self.school.schema_name):
            period = period or self.period
            return Publication.objects.create(
                period=period,
                school_class=self.school_class,
                published_on=period.end,
                requested_by=self.students[0],
            )


def _remove(tag: str, school: Establishment) -> None:
    connection.set_schema_to_public()
    with schema_context(school.schema_name):
        cards = ReportCard.objects.filter(school_class_name=tag)
        for name in cards.values_list("file", flat=True):
            default_storage.delete(name)
        Notification.objects.filter(
            source__in=[f"report_card:{pk}" for pk in cards.values_list("pk", flat=True)]
        ).delete()
        cards.delete()
        Publication.objects.filter(school_class__name=tag).delete()
        Grade.objects.filter(assessment__title=tag).delete()
        Assessment.objects.filter(title=tag).delete()
        Member.objects.filter(display_name__startswith=tag).delete()
        Period.objects.filter(name__startswith=tag).delete()
        SchoolYear.objects.filter(name=tag).delete()
        Subject.objects.filter(code=tag).delete()
        SchoolClass.objects.filter(name=tag).delete()
    User.objects.filter(login__startswith=tag.lower()).delete()


@contextlib.contextmanager
def report_card_class(students: int) -> Iterator[ClassWorld]:
    """A class of ``students`` in the session's first school, graded in two trimesters, each
    student with a guardian who takes one e-mail per notification."""
    tag = f"KRC{secrets.token_hex(3)}"
    school = Establishment.objects.get(uai=SESSION_SCHOOLS["school_a"][0])
    guardians = []
    users = []
    try:
        for n in range(students):
            child = User.objects.create_user(f"{tag.lower()}.child{n}", first_name=f"Élève{n}", last_name=tag)
            parent = User.objects.create_user(
                f"{tag.lower()}.parent{n}",
                email=f"{tag.lower()}.parent{n}@example.org",
                first_name="Parent",
                last_name=tag,
            )
            GuardianLink.objects.create(guardian=parent, child=child)
            NotificationSettings.objects.create(user=parent, email_mode=EmailMode.IMMEDIATE)
            users.append(child)
            guardians.append(parent)
        with schema_context(school.schema_name):
            year = SchoolYear.objects.create(
                name=tag,
                start=datetime.date(2030, 9, 2),
                end=datetime.date(2031, 7, 4),
                week_a_monday=datetime.date(2030, 9, 2),
            )
            periods = [
                Period.objects.create(
                    year=year,
                    name=f"{tag} T1",
                    kind="trimester",
                    start=year.start,
                    end=datetime.date(2030, 11, 30),
                ),
                Period.objects.create(
                    year=year,
                    name=f"{tag} T2",
                    kind="trimester",
                    start=datetime.date(2030, 12, 1),
                    end=datetime.date(2031, 3, 1),
                ),
            ]
            school_class = SchoolClass.objects.create(name=tag, level="3e")
            subject = Subject.objects.create(code=tag, name="Histoire")
            teacher = Member.objects.create(
                user_id=9_200_000_000 + secrets.randbelow(10**6),
                display_name=f"{tag} Prof",
                roles=[Role.TEACHER],
            )
            members = [
                Member.objects.create(
                    user_id=user.pk,
                    display_name=f"{tag} Élève {n:02d}",
                    roles=[Role.STUDENT],
                    school_class=school_class,
                )
                for n, user in enumerate(users)
            ]
            for period in periods:
                assessment = Assessment.objects.create(
                    title=tag,
                    date=period.start,
                    subject=subject,
                    period=period,
                    school_class=school_class,
                    teacher=teacher,
                )
                Grade.objects.bulk_create(
                    Grade(assessment=assessment, student=s, value=Decimal(10 + n))
                    for n, s in enumerate(members)
                )
        yield ClassWorld(school, periods, school_class, members, guardians)
    finally:
        _remove(tag, school)


def row_lock(row: Member | Publication, schema: str) -> psycopg.Connection[Any]:
    """Another session holding ``FOR UPDATE`` on one row until it rolls back."""
    conn = psycopg.connect(database_url())
    statement = sql.SQL("SELECT 1 FROM {} WHERE id = %s FOR UPDATE").format(
        sql.Identifier(schema, row._meta.db_table)
    )
    conn.execute(statement, [row.pk])
    return conn
