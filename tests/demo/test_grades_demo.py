"""The demo's grades and report cards (mbn_platform/demo/grades.py): every class has grades of
the periods begun, Claire Martin finds Léa's published grades and last period's report card and
downloads it; seeding again adds nothing."""

from __future__ import annotations

from django.utils import timezone
from django_tenants.utils import schema_context

from mbn_platform.demo.grades import grades_seed
from shared_apps.identity.models import User
from tenant_apps.grades.models import Assessment, Grade
from tenant_apps.reportcards.models import ReportCard
from tenant_apps.school.models import SchoolClass
from tests.conftest import client_for


def test_every_class_has_grades_and_the_demo_children_a_report_card(demo, db):
    school, college, people = demo.schools()[0]
    claire = User.objects.get(login="claire.martin")
    lea = User.objects.get(login="eleve.martin.lea")
    with schema_context(college.schema_name):
        graded = set(Assessment.objects.values_list("school_class__name", flat=True))
        assert {c.name for c in SchoolClass.objects.all()} <= graded | {None}
        assert Grade.objects.filter(student__user_id=lea.pk).exists()
        cards = list(ReportCard.objects.filter(student__user_id=lea.pk))
        counts = grades_seed(school.subdomain, people, today=timezone.localdate())
    past_period_over = bool(cards)
    assert counts == (0, 0)
    api = client_for(claire, college, api=True)
    assert api.get(f"/api/v1/grades/students/{lea.pk}/").json()["grades"]
    if past_period_over:  # the demo runs after the first period's end (December on)
        listed = api.get("/api/v1/reportcards/").json()["results"]
        assert [row["student_id"] for row in listed] == [lea.pk]
        assert client_for(claire, college).get(f"/reportcards/{listed[0]['id']}/pdf/").status_code == 200
