"""The family view's items of grades and report cards: a guardian with several children sees, for
each, the grades published lately and a report card published this month; one query per provider
for all the children of a school; nothing unpublished, nothing of a child not given."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from shared_apps.identity.family_news import FamilyChild
from shared_apps.identity.services import guardian_link_create
from tenant_apps.grades.family_news import new_grades
from tenant_apps.reportcards.family_news import new_report_cards
from tests.grades.helpers import assessment, enter
from tests.reportcards.helpers import prepare
from tests.reportcards.test_publication import publish
from tests.timetable.helpers import School


def test_each_childs_new_grades_and_report_card(
    school: School, run_publications, django_capture_on_commit_callbacks
):
    first, second = school.students[0], school.students[1]
    guardian_link_create(actor=None, guardian=school.guardian, child=second)
    today = timezone.localdate()
    shown = assessment(school, title="Publiée", published_on=today - datetime.timedelta(days=1))
    hidden = assessment(school, title="Demain", published_on=today + datetime.timedelta(days=1))
    for found in (shown, hidden):
        enter(school, found, {first.pk: "12", second.pk: "14", school.students[2].pk: "9"})
    prepare(school)
    publish(school, django_capture_on_commit_callbacks)

    def items(users):
        with schema_context(school.establishment.schema_name):
            children = [FamilyChild(user=u, member=school.m(u), can_act=True) for u in users]
            with CaptureQueriesContext(connection) as queries:
                grades = new_grades(
                    establishment=school.establishment, guardian=school.guardian, children=children
                )
                cards = new_report_cards(
                    establishment=school.establishment, guardian=school.guardian, children=children
                )
        return len(queries.captured_queries), grades, cards

    one, _grades, _cards = items([first])
    two, grades, cards = items([first, second])
    assert one == two <= 2
    assert set(grades) == {first.pk, second.pk} and "1 new grade" in grades[first.pk][0].text
    assert grades[first.pk][0].url == f"/grades/students/{first.pk}/"
    assert set(cards) == {first.pk, second.pk} and "report card" in cards[first.pk][0].text
    assert school.students[2].pk not in grades and school.students[2].pk not in cards
