"""The demo's school life (mbn_platform/demo/schoollife.py), seeded with the demo: a teacher absent
next week with the changes made, an incident with its detention and a sanction decided by the
head, a whole-day absence, an EPS exemption and an infirmary visit; the region's calendar; seeding
again adds nothing."""

from __future__ import annotations

from django_tenants.utils import schema_context

from mbn_platform.demo.schoollife import demo_region_calendar_seed, demo_school_life
from shared_apps.schoolcalendar.models import RegionHoliday
from tenant_apps.attendance.models import AbsencePeriod, InfirmaryVisit, SportExemption
from tenant_apps.discipline.models import Incident, Punishment, Sanction


def test_the_demo_school_life_is_built_and_idempotent(demo, db):
    _school, college, people = demo.schools()[0]
    with schema_context(college.schema_name):
        assert Incident.objects.count() == 1
        assert Punishment.objects.count() == 2
        assert Sanction.objects.filter(status="pronounced").count() == 1
        assert AbsencePeriod.objects.count() == 1
        assert SportExemption.objects.count() == 1
        assert InfirmaryVisit.objects.count() == 1
    demo_school_life(college, people, region_calendar=False)
    with schema_context(college.schema_name):
        assert Incident.objects.count() == 1 and Punishment.objects.count() == 2


def test_the_demo_region_calendar_is_entered_once(db):
    demo_region_calendar_seed()
    count = RegionHoliday.objects.count()
    assert count >= 10
    demo_region_calendar_seed()
    assert RegionHoliday.objects.count() == count
