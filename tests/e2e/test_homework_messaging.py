"""The notebook and messaging in a real browser, each new page scanned with axe-core: a teacher
fills a lesson's notebook and sets homework, the student ticks it done, the guardian sees it; the
guardian writes to the teacher and the teacher replies; the head's communication rules and
reported messages. The data lives in an establishment of its own (committed for the server)."""

from __future__ import annotations

import datetime
import random
import uuid

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from shared_apps.identity.auth_models import TOTPDevice
from shared_apps.identity.roles import Role
from shared_apps.identity.services import guardian_link_create
from tenant_apps.homework.models import Homework, HomeworkDone
from tenant_apps.messaging.models import Message
from tenant_apps.school.services import school_class_ensure
from tenant_apps.structure.services import school_year_create, subject_create
from tenant_apps.timetable.selectors import lesson_occurrence
from tenant_apps.timetable.services import lesson_create
from tenants.models import EstablishmentKind
from tenants.provisioning.jobs import establishment_create
from tenants.uai import uai_check_letter
from tests.conftest import host_of
from tests.e2e.test_school_life_pages import _axe_violations, _sign_in
from tests.factories import PASSWORD, member
from tests.identity.helpers import with_authenticator


def _sign_in_family(page, base: str, login: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", login)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")


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
    with schema_context(school.schema_name):
        school_class = school_class_ensure(name="6e D", level="6e")
    teacher = member(school, Role.TEACHER, login=f"prof-{tag}", first_name="Sophie", last_name="Lang")
    head = member(school, Role.HEAD, login=f"head-{tag}", first_name="Hélène", last_name="Vogel")
    student = member(
        school, Role.STUDENT, login=f"eleve-{tag}", class_name="6e D", first_name="Léa", last_name="Martin"
    )
    guardian = member(school, Role.GUARDIAN, login=f"parent-{tag}", first_name="Claire", last_name="Martin")
    guardian_link_create(actor=None, guardian=guardian, child=student)
    today = timezone.localdate()
    with schema_context(school.schema_name):
        from tenant_apps.school.models import Member

        year = school_year_create(
            actor=None,
            name="Année",
            start=today - datetime.timedelta(days=60),
            end=today + datetime.timedelta(days=200),
            is_current=True,
        )
        lesson = lesson_create(
            actor=None,
            year=year,
            weekday=today.weekday() % 5,
            start_time=datetime.time(8),
            end_time=datetime.time(9),
            subject=subject_create(actor=None, code="MATHS", name="Mathématiques"),
            teacher=Member.objects.get(user_id=teacher.pk),
            school_class=school_class,
        )
        day = next(
            d
            for d in (today - datetime.timedelta(days=n) for n in range(0, 60))
            if lesson_occurrence(lesson_id=lesson.pk, day=d) is not None
        )
    connection.set_schema_to_public()
    return {
        "school": school,
        "class_id": school_class.pk,
        "lesson": lesson.pk,
        "day": day,
        "teacher": teacher,
        "teacher_totp": with_authenticator(teacher),
        "head": head,
        "head_totp": with_authenticator(head),
        "student": student,
        "guardian": guardian,
    }


def test_homework_and_messages_in_the_browser(browse, app_server, delta):
    base = f"http://{host_of(delta['school'])}:{app_server}"
    day = delta["day"]
    due = (day + datetime.timedelta(days=7)).isoformat()
    lesson_page = f"{base}/homework/lessons/{delta['lesson']}/{day.isoformat()}/"
    with browse() as page:  # the teacher fills the notebook and sets homework
        _sign_in(page, base, delta["teacher"].login, delta["teacher_totp"])
        page.goto(lesson_page)
        assert _axe_violations(page) == []
        page.fill("#id_title", "Les fractions")
        page.fill("#id_content", "<p>Addition de <strong>fractions</strong></p><script>alert(1)</script>")
        page.click("form:has(input[value=entry]) button[type=submit]")
        page.wait_for_selector("text=Addition de")
        page.fill("#id_instructions", "Exercices 1 à 4 page 12")
        page.fill("#id_due_on", due)
        page.click("form:has(input[value=homework]) button[type=submit]")
        page.wait_for_selector("text=Exercices 1 à 4 page 12")
        assert _axe_violations(page) == []
        for path in ("/homework/", f"/homework/classes/{delta['class_id']}/", "/messages/"):
            page.goto(f"{base}{path}")
            assert _axe_violations(page) == [], path
    with schema_context(delta["school"].schema_name):
        homework = Homework.objects.get()
    connection.set_schema_to_public()
    with browse() as page:  # the student ticks it done
        _sign_in_family(page, base, delta["student"].login)
        page.goto(f"{base}/homework/?from={day.isoformat()}")
        assert page.is_visible("text=Exercices 1 à 4 page 12")
        assert _axe_violations(page) == []
        page.click("li.homework form button[type=submit]")
        page.wait_for_selector("li.homework.done")
        page.goto(f"{base}/homework/{homework.pk}/")
        assert _axe_violations(page) == []
        page.goto(f"{base}/timetable/?date={due}")
        assert page.is_visible("text=Mathématiques")
    with schema_context(delta["school"].schema_name):
        assert HomeworkDone.objects.filter(homework=homework).exists()
    connection.set_schema_to_public()
    with browse() as page:  # the guardian sees it, then writes to the teacher
        _sign_in_family(page, base, delta["guardian"].login)
        page.goto(f"{base}/homework/?student={delta['student'].pk}&from={day.isoformat()}")
        assert page.is_visible("text=Exercices 1 à 4 page 12")
        assert page.is_visible("li.homework.done")
        page.goto(f"{base}/messages/new/")
        assert _axe_violations(page) == []
        page.select_option("#id_recipients", str(delta["teacher"].pk))
        page.fill("#id_subject", "Exercices de Léa")
        page.fill("#id_body", "Léa n'a pas compris l'exercice 3.")
        page.click("main form button[type=submit]")
        page.wait_for_selector("text=Léa n'a pas compris l'exercice 3.")
        assert _axe_violations(page) == []
    # The teacher signs in again, maybe within the 30 seconds of their first code: a code is never
    # accepted twice, so the step they used is forgotten (as if the next step had come).
    TOTPDevice.objects.filter(user=delta["teacher"]).update(last_used_step=None)
    with browse() as page:  # the teacher replies; the head's pages
        _sign_in(page, base, delta["teacher"].login, delta["teacher_totp"])
        page.goto(f"{base}/messages/")
        page.click("text=Exercices de Léa")
        page.fill("#id_body", "Je la verrai demain en classe.")
        page.click("form:has(input[value=reply]) button[type=submit]")
        page.wait_for_selector("text=Je la verrai demain en classe.")
        assert _axe_violations(page) == []
    with browse() as page:
        _sign_in(page, base, delta["head"].login, delta["head_totp"])
        for path in ("/messages/rules/", "/messages/reports/"):
            page.goto(f"{base}{path}")
            assert _axe_violations(page) == [], path
    with browse() as page:  # the guardian reads the reply
        _sign_in_family(page, base, delta["guardian"].login)
        page.goto(f"{base}/messages/")
        page.click("text=Exercices de Léa")
        assert page.is_visible("text=Je la verrai demain en classe.")
    with schema_context(delta["school"].schema_name):
        assert Message.objects.count() == 2
    connection.set_schema_to_public()
