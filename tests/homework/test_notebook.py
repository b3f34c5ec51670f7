"""The notebook's rules, through the services: a teacher fills the entry of a lesson they teach
(sanitised), sets homework for a later date or the next lesson, copies a lesson to another group;
students tick it done, hand it in, the teacher returns it."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from mbn_platform.kernel.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from shared_apps.audit.models import AuditEntry
from tenant_apps.homework import selectors, services
from tenant_apps.homework.models import Attachment, HomeworkDone, LessonEntry
from tests.homework.conftest import MONDAY, NEXT_MONDAY, pdf
from tests.timetable.helpers import School

D = datetime.date


def test_a_script_in_a_lesson_s_content_is_not_kept(school: School):
    with schema_context(school.establishment.schema_name):
        entry = services.lesson_entry_save(
            actor=school.teacher,
            lesson=school.extra["lesson"],
            date=MONDAY,
            title="Fractions",
            content='<p onclick="x()">Les <strong>fractions</strong><script>alert(1)</script>'
            '<a href="javascript:alert(2)">lien</a><img src=x onerror=alert(3)></p>',
            links=["https://fr.wikipedia.org/wiki/Fraction"],
        )
        assert "<script" not in entry.content and "onclick" not in entry.content
        assert "javascript:" not in entry.content and "<img" not in entry.content
        assert "<strong>fractions</strong>" in entry.content
        assert entry.links == [{"url": "https://fr.wikipedia.org/wiki/Fraction", "label": "fr.wikipedia.org"}]
        assert entry.school_class == school.school_class
        assert AuditEntry.objects.filter(action="homework.entry_saved", target_id=str(entry.pk)).exists()


def test_only_a_teacher_of_the_lesson_on_a_day_it_takes_place(school: School):
    with schema_context(school.establishment.schema_name):
        lesson = school.extra["lesson"]
        with pytest.raises(NotFound):
            services.lesson_entry_save(
                actor=school.other_teacher, lesson=lesson, date=MONDAY, title="", content="x"
            )
        with pytest.raises(ValidationFailed) as error:
            services.lesson_entry_save(
                actor=school.teacher,
                lesson=lesson,
                date=MONDAY + datetime.timedelta(days=1),
                title="",
                content="x",
            )
        assert "date" in error.value.fields
        with pytest.raises(PermissionDenied):
            services.lesson_entry_save(
                actor=school.students[0], lesson=lesson, date=MONDAY, title="", content="x"
            )
        with pytest.raises(ValidationFailed) as error:
            services.lesson_entry_save(
                actor=school.teacher, lesson=lesson, date=MONDAY, title="", content="", links=["ftp://x"]
            )
        assert "links" in error.value.fields


def test_homework_for_a_later_date_or_the_next_lesson(school: School):
    with schema_context(school.establishment.schema_name):
        lesson = school.extra["lesson"]
        next_time = services.homework_set(
            actor=school.teacher,
            lesson=lesson,
            date=MONDAY,
            instructions="Exercices 1 à 4",
            for_next_lesson=True,
        )
        assert next_time.due_on == NEXT_MONDAY
        dated = services.homework_set(
            actor=school.teacher,
            lesson=lesson,
            date=MONDAY,
            instructions="<p>Exposé</p><script>x</script>",
            due_on=MONDAY + datetime.timedelta(days=3),
            estimated_minutes=45,
        )
        assert dated.instructions == "<p>Exposé</p>"
        assert LessonEntry.objects.filter(lesson=lesson, date=MONDAY).count() == 1
        for bad in (
            {"due_on": MONDAY},
            {"due_on": MONDAY + datetime.timedelta(days=400)},
            {"due_on": None},
            {"due_on": NEXT_MONDAY, "instructions": "<script>x</script>"},
            {"due_on": NEXT_MONDAY, "estimated_minutes": 0},
        ):
            values = {"instructions": "Lire", **bad}
            with pytest.raises(ValidationFailed):
                services.homework_set(actor=school.teacher, lesson=lesson, date=MONDAY, **values)


def test_a_student_ticks_homework_done_and_sees_it_by_due_date(school: School):
    with schema_context(school.establishment.schema_name):
        homework = services.homework_set(
            actor=school.teacher,
            lesson=school.extra["lesson"],
            date=MONDAY,
            instructions="Exercices",
            due_on=NEXT_MONDAY,
        )
        services.homework_done_set(actor=school.students[0], homework=homework, done=True)
        services.homework_done_set(actor=school.students[0], homework=homework, done=True)  # idempotent
        assert HomeworkDone.objects.filter(homework=homework).count() == 1
        listed = list(selectors.homework_of_student(student=school.m(school.students[0])))
        assert [(h.pk, h.is_done) for h in listed] == [(homework.pk, True)]
        assert [h.is_done for h in selectors.homework_of_student(student=school.m(school.students[1]))] == [
            False
        ]
        with pytest.raises(NotFound):  # not of their class
            services.homework_done_set(actor=school.other_student, homework=homework, done=True)
        services.homework_done_set(actor=school.students[0], homework=homework, done=False)
        assert not HomeworkDone.objects.filter(homework=homework).exists()


def test_copy_a_lesson_to_another_group(school: School, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    group_day = MONDAY + datetime.timedelta(days=1)
    with schema_context(school.establishment.schema_name):
        entry = services.lesson_entry_save(
            actor=school.teacher,
            lesson=school.extra["lesson"],
            date=MONDAY,
            title="Chapitre 3",
            content="<p>Cours</p>",
        )
        services.lesson_entry_attach(actor=school.teacher, entry=entry, upload=pdf())
        services.homework_set(
            actor=school.teacher,
            lesson=school.extra["lesson"],
            date=MONDAY,
            instructions="Ex. 5",
            due_on=NEXT_MONDAY,
        )
        copy = services.lesson_entry_copy(
            actor=school.teacher, entry=entry, lesson=school.extra["group_lesson"], date=group_day
        )
        assert (copy.group, copy.school_class, copy.date, copy.content) == (
            school.group,
            None,
            group_day,
            "<p>Cours</p>",
        )
        (copied,) = copy.attachments.all()
        assert copied.file.name != entry.attachments.get().file.name
        assert copied.file.read() == entry.attachments.get().file.read()
        assert [h.instructions for h in copy.homework.all()] == ["Ex. 5"]
        # the other class's student, in the group, now sees the copy
        assert selectors.homework_of_student(student=school.m(school.other_student)).count() == 1
        with pytest.raises(NotFound):  # a lesson the teacher does not teach
            services.lesson_entry_copy(
                actor=school.teacher, entry=entry, lesson=school.extra["other_lesson"], date=MONDAY
            )
        with pytest.raises(NotFound):  # someone else's entry
            services.lesson_entry_copy(
                actor=school.other_teacher, entry=entry, lesson=school.extra["other_lesson"], date=MONDAY
            )


def test_hand_in_then_return_with_a_comment(school: School, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    with schema_context(school.establishment.schema_name):
        homework = services.homework_set(
            actor=school.teacher,
            lesson=school.extra["lesson"],
            date=MONDAY,
            instructions="Rédaction",
            due_on=NEXT_MONDAY,
            online_submission=True,
        )
        student = school.students[1]
        with pytest.raises(ValidationFailed):  # nothing handed in
            services.submission_submit(actor=student, homework=homework)
        submission = services.submission_submit(
            actor=student, homework=homework, text="Ma rédaction", uploads=[pdf()]
        )
        assert submission.attachments.get().content_type == "application/pdf"
        assert submission.attachments.get().file.name.startswith(
            f"{school.establishment.schema_name}/homework/"
        )
        with pytest.raises(NotFound):  # not the teacher who set it
            services.submission_return(actor=school.other_teacher, submission=submission, comment="Bien")
        returned = services.submission_return(
            actor=school.teacher, submission=submission, comment="Très bien"
        )
        assert returned.returned_at is not None and returned.comment == "Très bien"
        with pytest.raises(Conflict):
            services.submission_submit(actor=student, homework=homework, text="Encore")
        offline = services.homework_set(
            actor=school.teacher,
            lesson=school.extra["lesson"],
            date=MONDAY,
            instructions="Lire",
            due_on=NEXT_MONDAY,
        )
        with pytest.raises(ValidationFailed):
            services.submission_submit(actor=student, homework=offline, text="x")
        with pytest.raises(NotFound):
            services.submission_submit(actor=school.other_student, homework=homework, text="x")


def test_files_have_size_and_type_limits(school: School, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    with schema_context(school.establishment.schema_name):
        entry = services.lesson_entry_save(
            actor=school.teacher, lesson=school.extra["lesson"], date=MONDAY, title="", content="x"
        )
        for upload, message in (
            (SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf"), "Send a file of one of these types"),
            (SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024)), "too large"),
            (SimpleUploadedFile("empty.pdf", b""), "empty"),
            (SimpleUploadedFile("fake.docx", b"PK\x03\x04garbage"), "Send a file of one of these types"),
        ):
            with pytest.raises(ValidationFailed) as error:
                services.lesson_entry_attach(actor=school.teacher, entry=entry, upload=upload)
            assert message in error.value.fields["file"][0]
        assert not Attachment.objects.exists()
