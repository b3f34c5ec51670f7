"""Grades and report cards in a real browser, each page scanned with axe-core: the teacher's grid
(the arrow keys move between cells, a column pasted from a spreadsheet fills the cells below,
saved), the new assessment form, a student's grades and averages, the report cards' home with a
published card, the class council and the appraisals. The data lives in an establishment of its
own (committed for the server thread)."""

from __future__ import annotations

import datetime
import random
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from shared_apps.identity.roles import Role
from shared_apps.identity.services import guardian_link_create
from tenant_apps.grades import services as grades
from tenant_apps.grades.models import Grade, GradingPolicy
from tenant_apps.reportcards import services as reportcards
from tenant_apps.reportcards.generation import class_sheet, report_card_make
from tenant_apps.reportcards.models import HeadTeacher
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.school.services import school_class_ensure
from tenant_apps.structure.services import period_create, school_year_create, subject_create
from tenant_apps.timetable.services import lesson_create
from tenants.models import EstablishmentKind
from tenants.provisioning.jobs import establishment_create
from tenants.uai import uai_check_letter
from tests.conftest import host_of
from tests.e2e.test_school_life_pages import _axe_violations, _sign_in
from tests.factories import PASSWORD, member
from tests.identity.helpers import with_authenticator


@pytest.fixture
def delta(committed):
    tag = uuid.uuid4().hex[:6]
    digits = f"067{random.randint(3000, 4999)}"  # noqa: S311  (the demo is below, the benchmarks above)
    school = establishment_create(
        actor=None,
        uai=digits + uai_check_letter(digits),
        name=f"Collège Delta {tag}",
        kind=EstablishmentKind.COLLEGE,
        academie="Strasbourg",
        departement="67",
        subdomain=f"delta{tag}",
    )
    today = timezone.localdate()
    with schema_context(school.schema_name):
        school_class_ensure(name="4e D", level="4e")
    head = member(school, Role.HEAD, login=f"head-{tag}")
    teacher = member(school, Role.TEACHER, login=f"prof-{tag}", first_name="Sophie", last_name="Lang")
    students = [
        member(
            school,
            Role.STUDENT,
            class_name="4e D",
            login=f"eleve{n}-{tag}",
            first_name=f"Élève{n}",
            last_name="Test",
        )
        for n in range(3)
    ]
    guardian = member(school, Role.GUARDIAN, login=f"parent-{tag}")
    guardian_link_create(actor=None, guardian=guardian, child=students[0])
    with schema_context(school.schema_name):
        year = school_year_create(
            actor=None,
            name="Année",
            start=today - datetime.timedelta(days=60),
            end=today + datetime.timedelta(days=200),
            is_current=True,
        )
        period = period_create(
            actor=None,
            year=year,
            name="T1",
            kind="trimester",
            start=year.start,
            end=today + datetime.timedelta(days=20),
        )
        math = subject_create(actor=None, code="MATHS", name="Mathématiques")
        school_class = SchoolClass.objects.get(name="4e D")
        lesson_create(
            actor=None,
            year=year,
            weekday=0,
            start_time=datetime.time(8),
            end_time=datetime.time(9),
            subject=math,
            teacher=Member.objects.get(user_id=teacher.pk),
            school_class=school_class,
        )
        assessment = grades.assessment_create(
            actor=teacher,
            title="Fractions",
            date=today,
            subject=math,
            period=period,
            school_class=school_class,
            published_on=today,
        )
        grades.grades_enter(
            actor=teacher, assessment=assessment, cells={students[0].pk: "12", students[1].pk: "abs"}
        )
        reportcards.head_teacher_set(
            actor=head, school_class=school_class, teacher=Member.objects.get(user_id=teacher.pk)
        )
        student_row = Member.objects.get(user_id=students[0].pk)
        reportcards.appraisal_write(
            actor=teacher, period=period, student=student_row, subject=math, text="Bon travail."
        )
        card = report_card_make(
            sheet=class_sheet(period=period, school_class=school_class),
            student=student_row,
            published_on=today,
            publication=None,
        )
    connection.set_schema_to_public()
    return {
        "school": school,
        "teacher": teacher,
        "totp": with_authenticator(teacher),
        "head": head,
        "head_totp": with_authenticator(head),
        "students": students,
        "guardian": guardian,
        "assessment": assessment,
        "period": period,
        "class": school_class,
        "math": math,
        "card": card,
    }


def _sign_in_family(page, base: str, login: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", login)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_the_grade_grid_and_the_report_card_pages(browse, app_server, delta):
    base = f"http://{host_of(delta['school'])}:{app_server}"
    grid = f"/grades/assessments/{delta['assessment'].pk}/"
    with browse() as page:
        _sign_in(page, base, delta["teacher"].login, delta["totp"])
        page.goto(f"{base}{grid}")
        assert _axe_violations(page) == []
        cells = page.locator("[data-grade-grid] input[type=text]")
        cells.nth(0).focus()
        page.keyboard.press("ArrowDown")
        assert page.evaluate("document.activeElement.id") == "cell-2"
        page.keyboard.press("ArrowUp")
        assert page.evaluate("document.activeElement.id") == "cell-1"
        # A column pasted from a spreadsheet into the first cell fills the cells below.
        page.evaluate(
            """() => { const data = new DataTransfer();
              data.setData('text/plain', '15,5\\r\\nDisp\\r\\n8\\r\\n');
              const event = new ClipboardEvent(
                'paste', {clipboardData: data, bubbles: true, cancelable: true});
              document.getElementById('cell-1').dispatchEvent(event); }"""
        )
        assert [cells.nth(i).input_value() for i in range(3)] == ["15,5", "Disp", "8"]
        page.click("main form button.primary")
        page.wait_for_url(f"{base}{grid}")
        assert _axe_violations(page) == []
        for path in (
            "/grades/",
            "/grades/assessments/new/",
            "/reportcards/",
            f"/reportcards/classes/{delta['class'].pk}/periods/{delta['period'].pk}/",
            f"/reportcards/classes/{delta['class'].pk}/subjects/{delta['math'].pk}/periods/{delta['period'].pk}/",
        ):
            response = page.goto(f"{base}{path}")
            assert response is not None and response.status == 200, path
            assert _axe_violations(page) == [], path
        # A form sent with errors is accessible too.
        page.goto(f"{base}/grades/assessments/new/")
        page.fill("#id_title", "")
        page.click("main form button[type=submit]")
        assert _axe_violations(page) == []
    with browse() as page:
        _sign_in_family(page, base, delta["guardian"].login)
        for path in ("/grades/", f"/grades/students/{delta['students'][0].pk}/", "/reportcards/"):
            response = page.goto(f"{base}{path}")
            assert response is not None and response.status == 200, path
            assert _axe_violations(page) == [], path
        assert page.locator(f"a[href='/reportcards/{delta['card'].pk}/pdf/']").count() == 1
    with browse() as page:
        # The head: the head teachers of the classes and the grading policy, changed on their pages.
        _sign_in(page, base, delta["head"].login, delta["head_totp"])
        for path in ("/reportcards/head-teachers/", "/grades/policy/"):
            response = page.goto(f"{base}{path}")
            assert response is not None and response.status == 200, path
            assert _axe_violations(page) == [], path
        half = "main input[name=rounding][value='0.5']"
        page.check(half)
        page.fill(f"#id_coef_{delta['math'].pk}", "-1")
        page.click("main form button[type=submit]")
        assert page.is_visible("[role=alert]")
        assert page.get_attribute(f"#id_coef_{delta['math'].pk}", "aria-invalid") == "true"
        assert _axe_violations(page) == [], "policy with an error"
        page.fill(f"#id_coef_{delta['math'].pk}", "3")
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        assert page.is_checked(half) and page.input_value(f"#id_coef_{delta['math'].pk}") == "3.00"
        page.goto(f"{base}/reportcards/head-teachers/")
        page.select_option(f"#id_class_{delta['class'].pk}", "")
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        assert page.input_value(f"#id_class_{delta['class'].pk}") == ""
        assert _axe_violations(page) == [], "head teachers saved"
    with schema_context(delta["school"].schema_name):
        assert not HeadTeacher.objects.filter(school_class=delta["class"]).exists()
        assert GradingPolicy.objects.get().rounding == "0.5"
        saved = {g.student.user_id: (g.value, g.mark) for g in Grade.objects.select_related("student")}
    students = delta["students"]
    assert saved[students[0].pk] == (Decimal("15.50"), "") and saved[students[1].pk] == (None, "exempt")
    assert saved[students[2].pk] == (Decimal("8.00"), "")
