"""School life's new pages in a real browser, each scanned with axe-core (the engine shipped by
axe-playwright-python): the timetable import and its preview, substitutions, discipline (home,
forms, records, detention roster, statistics), the desk (absences, EPS exemptions, infirmary,
the absenteeism report), the holidays page with the region's days, and the operators' region
calendar. The data lives in an establishment of its own (committed for the server thread)."""

from __future__ import annotations

import datetime
import random
import uuid

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from shared_apps.identity.models import RegionRoleAssignment
from shared_apps.identity.roles import RegionRole, Role
from shared_apps.identity.services import membership_grant
from shared_apps.schoolcalendar.services import region_holiday_create
from tenant_apps.discipline import services as discipline
from tenant_apps.school.services import school_class_ensure
from tenant_apps.structure.services import school_year_create, subject_create
from tenant_apps.timetable.services import lesson_create, teacher_absence_record, timetable_import_preview
from tenants.models import EstablishmentKind
from tenants.provisioning.jobs import establishment_create
from tenants.uai import uai_check_letter
from tests.conftest import host_of
from tests.factories import PASSWORD, UserFactory, member
from tests.identity.helpers import next_code, with_authenticator


def _axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in results.response["violations"]]


def _sign_in(page, base: str, login: str, totp) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", login)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_selector("#id_code")
    page.fill("#id_code", next_code(totp))
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.fixture
def gamma(committed):
    """A collège of its own, with a year, a class, teachers, a lesson and a record of each kind."""
    tag = uuid.uuid4().hex[:6]
    digits = f"067{random.randint(3000, 4999)}"  # noqa: S311  (the demo is below, the benchmarks above)
    school = establishment_create(
        actor=None,
        uai=digits + uai_check_letter(digits),
        name=f"Collège Gamma {tag}",
        kind=EstablishmentKind.COLLEGE,
        academie="Strasbourg",
        departement="67",
        subdomain=f"gamma{tag}",
    )
    head = member(school, Role.HEAD, login=f"head-{tag}", first_name="Hélène", last_name="Vogel")
    for role in (Role.SCHOOL_LIFE, Role.ADMIN_STAFF):
        membership_grant(actor=None, user=head, establishment=school, role=role)
    totp = with_authenticator(head)
    today = timezone.localdate()
    with schema_context(school.schema_name):
        school_class_ensure(name="6e G", level="6e")
    teacher = member(school, Role.TEACHER, first_name="Sophie", last_name="Lang")
    student = member(school, Role.STUDENT, class_name="6e G", first_name="Léa", last_name="Martin")
    with schema_context(school.schema_name):
        from tenant_apps.school.models import Member

        year = school_year_create(
            actor=None,
            name="Année",
            start=today - datetime.timedelta(days=today.weekday() + 21),
            end=today + datetime.timedelta(days=200),
            is_current=True,
        )
        math = subject_create(actor=None, code="MATHS", name="Mathématiques")
        teacher_row, student_row = (
            Member.objects.get(user_id=teacher.pk),
            Member.objects.get(user_id=student.pk),
        )
        from tenant_apps.school.models import SchoolClass

        lesson_create(
            actor=None,
            year=year,
            weekday=today.weekday() % 5,
            start_time=datetime.time(8),
            end_time=datetime.time(9),
            subject=math,
            teacher=teacher_row,
            school_class=SchoolClass.objects.get(name="6e G"),
        )
        csv = (
            "day;start;end;subject;teacher;classes;room;weeks\n"
            "1;10:00;10:55;MATHS;Sophie Lang;6e G;Salle 1;1-7,10-16\n"
            "2;10:00;10:55;MATHS;Inconnu X;6e G;;A\n"
        )
        imp = timetable_import_preview(
            actor=head, year=year, name="edt.csv", data=csv.encode(), from_day=today
        )
        absence = teacher_absence_record(
            actor=head, teacher=teacher_row, start=today, end=today + datetime.timedelta(days=7)
        )
        incident = discipline.incident_create(
            actor=head, occurred_at=timezone.now(), description="Bousculade", students=[student_row]
        )
        punishment = discipline.punishment_give(
            actor=head,
            student=student_row,
            kind="detention",
            reason="Bousculade",
            date=today,
            start_time=datetime.time(13),
            end_time=datetime.time(14),
            supervisor=Member.objects.get(user_id=head.pk),
        )
        sanction = discipline.sanction_propose(
            actor=head, student=student_row, kind="warning", reason="Récidive"
        )
    region_holiday_create(
        actor=None,
        zone="B",
        name=f"Vacances {tag}",
        start=today + datetime.timedelta(days=60),
        end=today + datetime.timedelta(days=74),
    )
    operator = UserFactory(login=f"op-{tag}")
    RegionRoleAssignment.objects.create(user=operator, role=RegionRole.REGION_OPERATOR)
    connection.set_schema_to_public()
    return {
        "school": school,
        "head": head,
        "totp": totp,
        "operator": operator,
        "operator_totp": with_authenticator(operator),
        "paths": [
            "/timetable/manage/imports/",
            f"/timetable/manage/imports/{imp.pk}/",
            "/timetable/substitutions/",
            f"/timetable/substitutions/{absence.pk}/",
            "/timetable/manage/holidays/",
            "/timetable/manage/lessons/new/",
            "/discipline/",
            "/discipline/incidents/new/",
            f"/discipline/incidents/{incident.pk}/",
            "/discipline/punishments/new/",
            f"/discipline/punishments/{punishment.pk}/",
            "/discipline/sanctions/new/",
            f"/discipline/sanctions/{sanction.pk}/",
            "/discipline/detentions/",
            "/discipline/statistics/",
            "/attendance/absences/",
            "/attendance/exemptions/",
            "/attendance/infirmary/",
            "/attendance/threshold/",
        ],
    }


def test_the_school_life_pages_pass_an_axe_scan(browse, app_server, gamma):
    base = f"http://{host_of(gamma['school'])}:{app_server}"
    portal = f"http://localhost:{app_server}"
    with browse() as page:
        _sign_in(page, base, gamma["head"].login, gamma["totp"])
        for path in gamma["paths"]:
            response = page.goto(f"{base}{path}")
            assert response is not None and response.status == 200, path
            assert _axe_violations(page) == [], path
        # A form sent with errors is accessible too (messages next to their fields).
        page.goto(f"{base}/discipline/incidents/new/")
        page.click("main form button[type=submit]")
        assert page.is_visible("[role=alert]")
        assert _axe_violations(page) == []

        _sign_in(page, portal, gamma["operator"].login, gamma["operator_totp"])
        page.goto(f"{portal}/region/calendar/")
        assert _axe_violations(page) == []
        page.click("main table a")
        assert _axe_violations(page) == [], page.url
