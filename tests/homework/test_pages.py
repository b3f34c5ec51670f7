"""The notebook's pages: a teacher fills a lesson's notebook and sets homework, the student ticks
it done, the guardian sees it; the head browses a class's notebook; a student's week shows the
homework due; files are served to who may see them, stored in S3 under the school's prefix."""

from __future__ import annotations

from django_tenants.utils import schema_context

from tenant_apps.homework.models import Attachment, Homework, HomeworkDone
from tests.conftest import S3_DOCUMENTS_BUCKET, client_for, s3_client
from tests.homework.conftest import NEXT_MONDAY, pdf
from tests.timetable.helpers import School

LESSON_PAGE = "/homework/lessons/{}/2026-09-14/"


def test_teacher_sets_homework_student_ticks_guardian_sees(school: School, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    teacher = client_for(school.teacher, school.establishment)
    page = LESSON_PAGE.format(school.extra["lesson"].pk)
    assert teacher.get(page).status_code == 200
    saved = teacher.post(
        page,
        {
            "action": "entry",
            "title": "Fractions",
            "content": "<p>Cours</p><script>alert('x')</script>",
            "links": "",
        },
    )
    assert saved.status_code == 302
    shown = teacher.get(page).content.decode()
    assert "<p>Cours</p>" in shown and "alert(&#x27;x&#x27;)" not in shown and "<script>alert" not in shown
    bad = teacher.post(page, {"action": "homework", "instructions": "Ex. 1", "due_on": "2026-09-01"})
    assert bad.status_code == 400 and "Homework is due after the lesson" in bad.content.decode()
    assert (
        teacher.post(
            page, {"action": "homework", "instructions": "Ex. 1", "for_next_lesson": "on"}
        ).status_code
        == 302
    )
    assert teacher.post(page, {"action": "file", "file": pdf()}).status_code == 302
    with schema_context(school.establishment.schema_name):
        homework = Homework.objects.get()
        assert homework.due_on == NEXT_MONDAY
        attachment = Attachment.objects.get()
    student = client_for(school.students[0], school.establishment)
    listing = student.get("/homework/?from=2026-09-14").content.decode()
    assert "Ex. 1" in listing
    assert (
        student.post(f"/homework/{homework.pk}/done/", {"done": "1", "back": "/homework/"}).status_code == 302
    )
    with schema_context(school.establishment.schema_name):
        assert HomeworkDone.objects.filter(homework=homework).exists()
    guardian = client_for(school.guardian, school.establishment)
    seen = guardian.get(f"/homework/?student={school.students[0].pk}&from=2026-09-14").content.decode()
    assert "Ex. 1" in seen and "Done" in seen
    assert guardian.get(f"/homework/?student={school.other_student.pk}").status_code == 404
    assert guardian.post(f"/homework/{homework.pk}/done/", {"done": "1"}).status_code == 403
    # The student's week shows the homework due on its day.
    week = student.get(f"/timetable/?date={NEXT_MONDAY.isoformat()}").content.decode()
    assert "Homework due: Mathématiques" in week
    # Files: the class's student and guardian download it, another class's student does not.
    assert student.get(f"/homework/files/{attachment.pk}/").status_code == 200
    assert guardian.get(f"/homework/files/{attachment.pk}/").status_code == 200
    assert (
        client_for(school.other_student, school.establishment)
        .get(f"/homework/files/{attachment.pk}/")
        .status_code
        == 404
    )
    # Another teacher may not open this lesson's notebook page.
    assert client_for(school.other_teacher, school.establishment).get(page).status_code == 404
    assert (
        teacher.get("/homework/lessons/{}/2026-13-45/".format(school.extra["lesson"].pk)).status_code == 404
    )


def test_the_head_browses_a_class_s_notebook_by_subject(school: School):
    teacher = client_for(school.teacher, school.establishment)
    teacher.post(
        LESSON_PAGE.format(school.extra["lesson"].pk),
        {"action": "entry", "title": "Théorème", "content": "x"},
    )
    head = client_for(school.extra["head"], school.establishment)
    url = f"/homework/classes/{school.school_class.pk}/?start=2026-09-01&end=2026-09-30"
    assert "Théorème" in head.get(url).content.decode()
    other_subject = head.get(f"{url}&subject={school.english.pk}").content.decode()
    assert "Théorème" not in other_subject
    assert head.get(f"{url}&start=nope").status_code == 400
    assert client_for(school.other_teacher, school.establishment).get(url).status_code == 404
    assert client_for(school.students[0], school.establishment).get(url).status_code == 403


def test_a_student_hands_in_and_the_teacher_returns_on_the_pages(school: School, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    teacher = client_for(school.teacher, school.establishment)
    teacher.post(
        LESSON_PAGE.format(school.extra["lesson"].pk),
        {
            "action": "homework",
            "instructions": "Rédaction",
            "due_on": "2026-09-21",
            "online_submission": "on",
        },
    )
    with schema_context(school.establishment.schema_name):
        homework = Homework.objects.get()
    student = client_for(school.students[1], school.establishment)
    assert student.post(f"/homework/{homework.pk}/", {"text": ""}).status_code == 400
    assert (
        student.post(f"/homework/{homework.pk}/", {"text": "Ma rédaction", "file": pdf()}).status_code == 302
    )
    with schema_context(school.establishment.schema_name):
        submission = homework.submissions.get()
    detail = teacher.get(f"/homework/{homework.pk}/").content.decode()
    assert "Ma rédaction" in detail
    returned = teacher.post(
        f"/homework/{homework.pk}/", {"submission": submission.pk, f"s{submission.pk}-comment": "Bien"}
    )
    assert returned.status_code == 302
    assert "Bien" in student.get(f"/homework/{homework.pk}/").content.decode()
    # Another student sees the homework but not this one's work.
    assert (
        "Ma rédaction"
        not in client_for(school.students[2], school.establishment)
        .get(f"/homework/{homework.pk}/")
        .content.decode()
    )


def test_files_go_to_s3_under_the_establishment_prefix(school: School, s3_default_storage, school_b):
    teacher = client_for(school.teacher, school.establishment)
    page = LESSON_PAGE.format(school.extra["lesson"].pk)
    assert teacher.post(page, {"action": "file", "file": pdf("Fiche d'exercices.pdf")}).status_code == 302
    with schema_context(school.establishment.schema_name):
        attachment = Attachment.objects.get()
    assert attachment.name == "Fiche d'exercices.pdf"
    keys = [
        o["Key"]
        for o in s3_client(s3_default_storage).list_objects_v2(Bucket=S3_DOCUMENTS_BUCKET)["Contents"]
    ]
    assert attachment.file.name in keys
    assert attachment.file.name.startswith(f"{school.establishment.schema_name}/homework/")
    download = client_for(school.students[0], school.establishment).get(f"/homework/files/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    # The same id on another school's host names nothing there.
    from shared_apps.identity.roles import Role
    from tests.factories import member

    assert (
        client_for(member(school_b, Role.HEAD), school_b).get(f"/homework/files/{attachment.pk}/").status_code
        == 404
    )
    # Removing it removes the object.
    assert teacher.post(page, {"action": "remove_file", "attachment": attachment.pk}).status_code == 302
