"""The demo's notebook (mbn_platform/demo/homework.py), seeded with the demo: Léa's class has its
notebook for the past weeks and homework due, which Léa and her guardian find; seeding again adds
nothing."""

from __future__ import annotations

from django_tenants.utils import schema_context

from mbn_platform.demo.homework import demo_homework_seed
from tenant_apps.homework.models import Homework, LessonEntry


def test_the_demo_notebook_is_filled_and_idempotent(demo, db):
    _school, college, _people = demo.schools()[0]
    with schema_context(college.schema_name):
        entries = LessonEntry.objects.filter(school_class__name="4e B").count()
        if demo.year.school_days_between(demo.today - __import__("datetime").timedelta(days=21), demo.today):
            assert entries >= 10
            assert Homework.objects.filter(due_on__gte=demo.today).exists()
            assert "<script" not in "".join(LessonEntry.objects.values_list("content", flat=True))
    assert demo_homework_seed(college, "4e B", demo.today) == 0
    with schema_context(college.schema_name):
        assert LessonEntry.objects.filter(school_class__name="4e B").count() == entries


def test_the_demo_threads_between_the_guardian_and_teachers(demo, db):
    from tenant_apps.messaging.models import Participant, Thread

    _school, college, _people = demo.schools()[0]
    with schema_context(college.schema_name):
        thread = Thread.objects.get(subject__startswith="Devoirs de mathématiques")
        assert thread.messages.count() == 2
        assert Participant.objects.filter(thread=thread).count() == 2
        assert Thread.objects.filter(no_reply=True).exists()
