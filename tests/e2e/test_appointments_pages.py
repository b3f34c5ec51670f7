"""Appointments and the administrative desk in a real browser, each page scanned with axe-core: a
guardian books both of their child's teachers at a parent-teacher evening on one page and fills
a trip authorisation, then the head sees both appointments on the schedule per teacher and per
room, and the answer on the form's page. The data lives in an establishment of its own
(committed for the server thread)."""

from __future__ import annotations

import datetime
import random
import uuid

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from shared_apps.identity.roles import Role
from shared_apps.identity.services import guardian_link_create
from tenant_apps.appointments import services
from tenant_apps.appointments.models import Booking
from tenant_apps.forms import services as forms_services
from tenant_apps.forms.models import Answer
from tenant_apps.school.models import Member
from tenant_apps.school.services import school_class_ensure
from tenant_apps.structure.services import room_create, subject_create, teaching_assignment_create
from tenants.models import EstablishmentKind
from tenants.provisioning.jobs import establishment_create
from tenants.uai import uai_check_letter
from tests.conftest import host_of
from tests.e2e.test_school_life_pages import _axe_violations, _sign_in
from tests.factories import PASSWORD, member
from tests.identity.helpers import with_authenticator


@pytest.fixture
def delta(committed):
    """A collège with a class, its two teachers (each in a room), a child, their guardian, a head
    and an evening open for booking."""
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
    with tenant_context(school):
        school_class = school_class_ensure(name="4e D", level="4e")
    head = member(school, Role.HEAD, login=f"head-{tag}", first_name="Hélène", last_name="Vogel")
    teachers = [
        member(school, Role.TEACHER, first_name="Sophie", last_name="Lang"),
        member(school, Role.TEACHER, first_name="Marc", last_name="Weber"),
    ]
    child = member(school, Role.STUDENT, class_name="4e D", first_name="Léa", last_name="Martin")
    guardian = member(school, Role.GUARDIAN, login=f"parent-{tag}", first_name="Claire", last_name="Martin")
    guardian_link_create(actor=None, guardian=guardian, child=child)
    with tenant_context(school):
        for n, (teacher, code) in enumerate(zip(teachers, ("MATHS", "ANG"), strict=True)):
            subject = subject_create(actor=None, code=code, name=["Mathématiques", "Anglais"][n])
            teaching_assignment_create(
                actor=None,
                teacher=Member.objects.get(user_id=teacher.pk),
                subject=subject,
                school_class=school_class,
            )
        rooms = [room_create(actor=None, name=f"Salle {n}") for n in (101, 102)]
        evening = services.evening_create(
            actor=head,
            title="Rencontres parents-professeurs",
            date=timezone.localdate() + datetime.timedelta(days=8),
            start_time=datetime.time(17),
            end_time=datetime.time(18),
            slot_minutes=10,
            classes=[school_class],
        )
        for teacher, room in zip(teachers, rooms, strict=True):
            services.evening_teacher_add(
                actor=head, evening=evening, teacher=Member.objects.get(user_id=teacher.pk), room=room
            )
        services.evening_status_set(actor=head, evening=evening, status="open")
        trip = forms_services.form_create(
            actor=head,
            title="Sortie au musée",
            kind="trip",
            audience="guardians",
            classes=[school_class],
            deadline=timezone.now() + datetime.timedelta(days=10),
            reader_roles=[Role.HEAD],
            questions=[
                {"kind": "acknowledgement", "label": "J'autorise mon enfant à participer"},
                {"kind": "choice", "label": "Repas", "choices": ["Pique-nique", "Cantine"]},
                {"kind": "text", "label": "Remarques", "required": False},
            ],
        )
        trip = forms_services.form_publish(actor=head, form=trip)
    totp = with_authenticator(head)
    connection.set_schema_to_public()
    return {
        "school": school,
        "head": head,
        "totp": totp,
        "guardian": guardian,
        "child": child,
        "evening": evening,
        "trip": trip,
    }


def test_a_guardian_books_two_teachers_and_the_organiser_sees_both(browse, app_server, delta):
    base = f"http://{host_of(delta['school'])}:{app_server}"
    evening, trip = delta["evening"], delta["trip"]
    with browse() as page:
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", delta["guardian"].login)
        page.fill("#id_password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url(f"{base}/")
        page.goto(f"{base}/appointments/")
        assert _axe_violations(page) == []
        page.click(f"a[href='/appointments/evenings/{evening.pk}/']")
        assert _axe_violations(page) == [], page.url
        page.click("main a[href*='/book/']")
        assert _axe_violations(page) == [], page.url
        selects = page.locator("main form select")
        assert selects.count() == 2
        # The same time with both teachers: refused, shown on the form (accessibly).
        selects.nth(0).select_option(index=1)
        selects.nth(1).select_option(index=1)
        page.click("main form button[type=submit]")
        assert page.is_visible("[role=alert]")
        assert _axe_violations(page) == [], page.url
        page.locator("main form select").nth(0).select_option(index=1)
        page.locator("main form select").nth(1).select_option(index=3)
        page.click("main form button[type=submit]")
        page.wait_for_selector("text=Sophie Lang")
        assert page.locator("main form select").count() == 0
        assert _axe_violations(page) == [], page.url
        # The trip authorisation: a draft refused without the signature, then submitted.
        page.goto(f"{base}/forms/")
        assert _axe_violations(page) == [], page.url
        page.click(f"main a[href='/forms/{trip.pk}/answers/{delta['child'].pk}/']")
        assert _axe_violations(page) == [], page.url
        page.locator("main form select").select_option("Cantine")
        page.click("main form button[value=submit]")
        assert page.is_visible("[role=alert]")
        assert _axe_violations(page) == [], page.url
        page.check("main form input[type=checkbox]")
        page.locator("main form select").select_option("Cantine")
        page.click("main form button[value=submit]")
        page.wait_for_selector("main form input[type=checkbox][disabled]")
        assert _axe_violations(page) == [], page.url

        page.context.clear_cookies()  # the guardian leaves; the organiser signs in
        _sign_in(page, base, delta["head"].login, delta["totp"])
        for path in (
            "/appointments/",
            "/appointments/evenings/new/",
            "/appointments/slots/new/",
            f"/appointments/evenings/{evening.pk}/",
            f"/appointments/evenings/{evening.pk}/schedule/?by=teacher",
            f"/appointments/evenings/{evening.pk}/schedule/?by=room",
            "/forms/",
            "/forms/new/",
            f"/forms/{trip.pk}/",
            f"/forms/{trip.pk}/answers/{delta['child'].pk}/",
        ):
            response = page.goto(f"{base}{path}")
            assert response is not None and response.status == 200, path
            assert _axe_violations(page) == [], path
            if "schedule" in path:
                assert page.locator("main td", has_text="Léa Martin").count() == 2, path
            if path == f"/forms/{trip.pk}/":
                assert page.locator("main a", has_text="Léa Martin").count() == 1
    with tenant_context(delta["school"]):
        assert Booking.objects.filter(slot__evening=evening, status="booked").count() == 2
        assert Answer.objects.get(form=trip).status == "submitted"
