"""Signed in as each persona ``mbn demo`` prints, each finds their own data (issue 12). "Today"
is the demo's day: today when lessons take place, else the next school day (a weekend, holidays)."""

from __future__ import annotations

import re

from django.utils import timezone
from django_tenants.utils import schema_context

from mbn_platform.demo import PERSONAS, persona
from shared_apps.identity.auth_models import TOTPDevice
from shared_apps.identity.models import User
from tenant_apps.attendance.models import Register
from tenant_apps.school.models import Member
from tenant_apps.timetable.occurrences import occurrences
from tenant_apps.timetable.selectors import scope_teacher
from tests.conftest import client_for

LESSON = re.compile(r'<li class="lesson')


def as_persona(demo, login: str, school: str | None = None):
    user = User.objects.get(login=login)
    return user, client_for(user, demo.establishments[school] if school else None)


def test_every_printed_persona_exists_with_its_second_factor_when_staff(demo, db):
    for p in PERSONAS:
        user = User.objects.get(login=p.login)
        device = TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
        assert (device is not None and device.secret == p.totp_secret) is p.second_factor, p.login


def test_the_student_finds_a_full_week(demo, db):
    _user, client = as_persona(demo, "eleve.martin.lea", "pasteur")
    html = client.get(f"/timetable/?date={demo.demo_day.isoformat()}").content.decode()
    assert len(LESSON.findall(html)) >= 20
    assert "Week A" in html or "Week B" in html


def test_the_teacher_has_registers_to_take_on_the_demo_day(demo, db):
    user, client = as_persona(demo, "sophie.lang.kleber", "kleber")
    establishment = demo.establishments["kleber"]
    with schema_context(establishment.schema_name):
        me = Member.objects.get(user_id=user.pk)
        lessons = [
            o
            for o in occurrences(scope=scope_teacher(me), start=demo.demo_day, end=demo.demo_day)
            if o.takes_place and o.lesson_id
        ]
        assert lessons
        assert not Register.objects.filter(date=demo.demo_day, teacher=me).exists()
    page = client.get(f"/attendance/register/{lessons[0].lesson_id}/{demo.demo_day.isoformat()}/")
    assert page.status_code == 200
    if demo.demo_day == timezone.localdate():
        assert 'type="submit" class="primary"' in page.content.decode()
        week = client.get("/timetable/").content.decode()
        assert f"/attendance/register/{lessons[0].lesson_id}/" in week


def test_school_life_has_absences_to_review(demo, db):
    _user, client = as_persona(demo, "nadia.benali.pasteur", "pasteur")
    html = client.get("/attendance/follow-up/").content.decode()
    assert 'name="justification"' in html  # justifications waiting for a decision
    assert 'name="mark"' in html  # absence notices held for review (the collège reviews them)


def test_the_guardian_finds_both_childrens_weeks_and_absences(demo, db):
    _user, portal = as_persona(demo, "claire.martin")
    home = portal.get("/").content.decode()
    assert "Léa Martin" in home and "Tom Martin" in home
    for sub in ("pasteur", "kleber"):
        assert f"http://{sub}.mbn.localhost/children/" in home
    week = portal.get(f"/timetable/?date={demo.demo_day.isoformat()}").content.decode()
    assert "Léa Martin" in week and "Tom Martin" in week
    assert "Collège Louis Pasteur" in week and "Lycée Kléber" in week
    assert len(LESSON.findall(week)) >= 40
    for sub, name in (("pasteur", "Léa"), ("kleber", "Tom")):
        _u, school = as_persona(demo, "claire.martin", sub)
        absences = school.get("/attendance/family/").content.decode()
        assert f"{name} Martin" in absences and "No absence recorded." not in absences
        timetable = school.get(f"/timetable/?date={demo.demo_day.isoformat()}").content.decode()
        assert 'id="child-select"' in timetable and len(LESSON.findall(timetable)) >= 20


def test_the_head_the_admin_the_operator_and_the_agent_reach_their_pages(demo, db):
    _u, head = as_persona(demo, "helene.vogel.pasteur", "pasteur")
    for path in ("/attendance/statistics/", "/members/", "/audit/", "/attendance/settings/"):
        assert head.get(path).status_code == 200, path
    _u, admin = as_persona(demo, "marc.stoll.obernai-agri", "obernai-agri")
    manage = admin.get("/timetable/manage/")
    assert manage.status_code == 200 and "Tle STAV" in manage.content.decode()
    _u, operator = as_persona(demo, "operateur.region")
    console = operator.get("/console/?q=Pasteur").content.decode()
    assert "Collège Louis Pasteur" in console
    assert 'href="/console/"' in operator.get("/").content.decode()
    _u, agent = as_persona(demo, "support.region")
    assert agent.get("/support/queue/").status_code == 200
    assert persona("support.region").second_factor
