"""Half-days, justifications (pending → accepted | refused), declarations ahead, the same-day
notice to guardians (with the optional review), statistics; who may do what."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from shared_apps.identity.roles import Role
from shared_apps.identity.services import guardian_link_create
from tenant_apps.attendance.halfdays import MarkRow, count
from tenant_apps.attendance.models import AttendanceMark, Justification, NoticeState
from tenant_apps.school.models import SchoolSettings
from tenant_apps.structure.services import period_create
from tests.conftest import client_for
from tests.factories import member
from tests.timetable.helpers import WEEK_A, School, t


def take(school: School, lesson, statuses: dict, day=WEEK_A) -> None:
    with schema_context(school.establishment.schema_name):
        marks = [
            {"student_id": school.m(u).pk, "status": s, "late_minutes": 10 if s == "late" else 0}
            for u, s in statuses.items()
        ]
    client = client_for(school.teacher, school.establishment, api=True)
    response = client.post(
        f"/api/v1/attendance/registers/{lesson.pk}/{day.isoformat()}/", {"marks": marks}, format="json"
    )
    assert response.status_code == 200, response.content


def test_half_days_count_mornings_and_afternoons_once():
    day, next_day = datetime.date(2026, 9, 14), datetime.date(2026, 9, 15)
    rows = [
        MarkRow(1, day, t("08:00"), "absent", 0),
        MarkRow(1, day, t("10:00"), "absent", 0),  # same morning: still one half-day
        MarkRow(1, day, t("14:00"), "absent", 0),  # the afternoon: a second one
        MarkRow(1, next_day, t("13:00"), "absent", 0),
        MarkRow(1, next_day, t("08:00"), "late", 5),
        MarkRow(2, day, t("11:00"), "late", 3),
    ]
    counts = count(marks=rows, split=t("12:00"), justified={1: [(day, day)]})
    assert (counts[1].half_days, counts[1].justified, counts[1].unjustified) == (3, 2, 1)
    assert (counts[1].late, counts[1].late_minutes) == (1, 5)
    assert (counts[2].half_days, counts[2].late, counts[2].late_minutes) == (0, 1, 3)
    # Another split moves the 12:30 lesson… and a half-day with one unjustified absence is unjustified.
    later = count(marks=rows[:3], split=t("14:30"), justified={})
    assert (later[1].half_days, later[1].unjustified) == (1, 1)


def test_statistics_per_student_and_class_over_a_period(school: School):
    morning1 = school.lesson(start_time=t("08:00"), end_time=t("09:00"))
    morning2 = school.lesson(start_time=t("10:00"), end_time=t("11:00"), subject=school.english)
    afternoon = school.lesson(start_time=t("14:00"), end_time=t("15:00"))
    child, other = school.students[0], school.students[1]
    for lesson in (morning1, morning2, afternoon):
        take(school, lesson, {child: "absent", other: "late" if lesson == morning1 else "present"})
    with schema_context(school.establishment.schema_name):
        period = period_create(
            actor=None,
            year=school.year,
            name="T1",
            kind="trimester",
            start=datetime.date(2026, 9, 1),
            end=datetime.date(2026, 11, 30),
        )
    guardian = client_for(school.guardian, school.establishment, api=True)
    stats = guardian.get(f"/api/v1/attendance/students/{child.pk}/statistics/", {"period": period.pk})
    assert stats.status_code == 200
    assert stats.json() == {"half_days": 2, "justified": 0, "unjustified": 2, "late": 0, "late_minutes": 0}
    assert guardian.get(f"/api/v1/attendance/students/{other.pk}/statistics/").status_code == 404
    own = client_for(other, school.establishment, api=True).get(
        f"/api/v1/attendance/students/{other.pk}/statistics/"
    )
    assert own.json()["late"] == 1 and own.json()["late_minutes"] == 10
    assert (
        client_for(other, school.establishment, api=True)
        .get(f"/api/v1/attendance/students/{child.pk}/statistics/")
        .status_code
        == 404
    )

    # Justified once school-life staff accept the guardian's justification.
    guardian.post(
        "/api/v1/attendance/justifications/",
        {"child": child.pk, "start": "2026-09-14", "end": "2026-09-14", "reason": "illness"},
    )
    with schema_context(school.establishment.schema_name):
        justification = Justification.objects.get(student__user_id=child.pk)
    life = client_for(school.school_life, school.establishment, api=True)
    assert (
        life.post(
            f"/api/v1/attendance/justifications/{justification.pk}/decision/", {"accept": True}, format="json"
        ).status_code
        == 200
    )
    rows = life.get(
        f"/api/v1/attendance/classes/{school.school_class.pk}/statistics/", {"period": period.pk}
    ).json()
    by_user = {r["user_id"]: r["counts"] for r in rows}
    assert by_user[child.pk] == {
        "half_days": 2,
        "justified": 2,
        "unjustified": 0,
        "late": 0,
        "late_minutes": 0,
    }
    assert by_user[other.pk]["late"] == 1
    assert (
        client_for(child, school.establishment, api=True)
        .get(f"/api/v1/attendance/classes/{school.school_class.pk}/statistics/")
        .status_code
        == 403
    )


def test_the_justification_workflow(school: School, school_b):
    child = school.students[0]
    guardian = client_for(school.guardian, school.establishment, api=True)
    pdf = SimpleUploadedFile("note.pdf", b"%PDF-1.4 certificate", content_type="application/pdf")
    sent = guardian.post(
        "/api/v1/attendance/justifications/",
        {
            "child": child.pk,
            "start": "2026-09-14",
            "end": "2026-09-15",
            "reason": "medical",
            "comment": "Dentiste",
            "attachment": pdf,
        },
    )
    assert sent.status_code == 201, sent.content
    assert sent.json()["status"] == "pending" and sent.json()["has_attachment"]
    with schema_context(school.establishment.schema_name):
        stored = Justification.objects.get(pk=sent.json()["id"])
        assert stored.attachment.name.startswith(f"{school.establishment.schema_name}/")
    not_a_file = SimpleUploadedFile("x.pdf", b"MZ...", content_type="application/pdf")
    bad = guardian.post(
        "/api/v1/attendance/justifications/",
        {
            "child": child.pk,
            "start": "2026-09-14",
            "end": "2026-09-14",
            "reason": "illness",
            "attachment": not_a_file,
        },
    )
    assert bad.status_code == 400 and "attachment" in bad.json()["error"]["fields"]
    backwards = guardian.post(
        "/api/v1/attendance/justifications/",
        {"child": child.pk, "start": "2026-09-15", "end": "2026-09-14", "reason": "illness"},
    )
    assert backwards.status_code == 400

    # Not their child, another student, a teacher, another establishment.
    assert (
        guardian.post(
            "/api/v1/attendance/justifications/",
            {"child": school.students[1].pk, "start": "2026-09-14", "end": "2026-09-14", "reason": "illness"},
        ).status_code
        == 404
    )
    student = client_for(child, school.establishment, api=True)
    assert (
        student.post(
            "/api/v1/attendance/justifications/",
            {"child": child.pk, "start": "2026-09-14", "end": "2026-09-14", "reason": "illness"},
        ).status_code
        == 403
    )
    decision = f"/api/v1/attendance/justifications/{sent.json()['id']}/decision/"
    for user in (school.teacher, school.guardian, child):
        assert (
            client_for(user, school.establishment, api=True)
            .post(decision, {"accept": True}, format="json")
            .status_code
            == 403
        )
    b_life = client_for(member(school_b, Role.SCHOOL_LIFE), school_b, api=True)
    assert b_life.post(decision, {"accept": True}, format="json").status_code in (404,)
    assert b_life.get("/api/v1/attendance/justifications/").json()["count"] == 0

    life = client_for(school.school_life, school.establishment, api=True)
    assert [
        j["id"]
        for j in life.get("/api/v1/attendance/justifications/", {"status": "pending"}).json()["results"]
    ] == [sent.json()["id"]]
    refused = life.post(decision, {"accept": False, "comment": "Pas de certificat"}, format="json")
    assert refused.status_code == 200 and refused.json()["status"] == "refused"
    again = life.post(decision, {"accept": True}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_decided"
    # The guardian sees the decision, and may send another one, which is accepted.
    assert (
        guardian.get("/api/v1/attendance/justifications/").json()["results"][0]["decision_comment"]
        == "Pas de certificat"
    )
    second = guardian.post(
        "/api/v1/attendance/justifications/",
        {"child": child.pk, "start": "2026-09-14", "end": "2026-09-15", "reason": "medical"},
    )
    accepted = life.post(
        f"/api/v1/attendance/justifications/{second.json()['id']}/decision/", {"accept": True}, format="json"
    )
    assert accepted.json()["status"] == "accepted"
    # Another family sees none of it.
    assert (
        client_for(member(school.establishment, Role.GUARDIAN), school.establishment, api=True)
        .get("/api/v1/attendance/justifications/")
        .json()["count"]
        == 0
    )


def test_a_guardian_who_may_only_view_cannot_justify(school: School):
    viewer = member(school.establishment, Role.GUARDIAN)
    guardian_link_create(actor=None, guardian=viewer, child=school.students[0], can_act=False)
    client = client_for(viewer, school.establishment, api=True)
    body = {"child": school.students[0].pk, "start": "2026-09-14", "end": "2026-09-14", "reason": "illness"}
    assert client.post("/api/v1/attendance/justifications/", body).status_code == 404
    assert client.post("/api/v1/attendance/declarations/", body, format="json").status_code == 404


@pytest.fixture
def run_notices(school: School, monkeypatch):
    from tenant_apps.attendance.tasks import absence_notices_send_task

    def run(args, **options):
        with schema_context(school.establishment.schema_name):
            return absence_notices_send_task.apply(args)

    monkeypatch.setattr(absence_notices_send_task, "apply_async", run)
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: WEEK_A)  # the register is today's
    return absence_notices_send_task


def notice_of(school: School, user) -> str:
    with schema_context(school.establishment.schema_name):
        return AttendanceMark.objects.get(student__user_id=user.pk).notice


def test_guardians_are_told_of_an_unjustified_absence_the_same_day(
    school: School, run_notices, django_capture_on_commit_callbacks
):
    lesson = school.lesson()
    with django_capture_on_commit_callbacks(execute=True):
        take(school, lesson, {school.students[0]: "absent", school.students[1]: "absent"})
    assert [m.to for m in mail.outbox] == [["guardian@example.org"]]  # the second child has no guardian
    assert school.students[0].display_name in mail.outbox[0].body
    assert notice_of(school, school.students[0]) == NoticeState.SENT
    with schema_context(school.establishment.schema_name):
        register_id = AttendanceMark.objects.get(student__user_id=school.students[0].pk).register_id
        assert run_notices.apply(([register_id],)).get() == 0  # idempotent
    with django_capture_on_commit_callbacks(execute=True):  # saving again sends nothing more
        take(school, lesson, {school.students[0]: "absent"})
    assert len(mail.outbox) == 1


def test_with_review_on_school_life_releases_or_drops_the_notices(
    school: School, run_notices, django_capture_on_commit_callbacks
):
    with schema_context(school.establishment.schema_name):
        SchoolSettings.objects.update_or_create(
            pk=1, defaults={"display_name": "X", "absence_notification_review": True}
        )
    lesson = school.lesson()
    with django_capture_on_commit_callbacks(execute=True):
        take(school, lesson, {school.students[0]: "absent", school.students[1]: "absent"})
    assert mail.outbox == []
    life = client_for(school.school_life, school.establishment, api=True)
    held = life.get("/api/v1/attendance/notices/held/").json()["results"]
    assert len(held) == 2
    assert (
        client_for(school.teacher, school.establishment, api=True)
        .get("/api/v1/attendance/notices/held/")
        .status_code
        == 403
    )
    first, second = (h["id"] for h in held)
    with schema_context(school.establishment.schema_name):
        first_user = AttendanceMark.objects.get(pk=first).student.user_id
    drop, send = (first, second) if first_user != school.students[0].pk else (second, first)
    life.post("/api/v1/attendance/notices/held/", {"mark_ids": [drop], "send": False}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        life.post("/api/v1/attendance/notices/held/", {"mark_ids": [send], "send": True}, format="json")
    assert [m.to for m in mail.outbox] == [["guardian@example.org"]]
    assert notice_of(school, school.students[1]) == NoticeState.DISMISSED


def test_a_declared_absence_is_shown_on_the_register_and_not_notified(
    school: School, run_notices, django_capture_on_commit_callbacks
):
    guardian = client_for(school.guardian, school.establishment, api=True)
    declared = guardian.post(
        "/api/v1/attendance/declarations/",
        {"child": school.students[0].pk, "start": "2026-09-14", "end": "2026-09-16", "reason": "family"},
        format="json",
    )
    assert declared.status_code == 201 and declared.json()["status"] == "pending"
    lesson = school.lesson()
    page = client_for(school.teacher, school.establishment).get(
        f"/attendance/register/{lesson.pk}/{WEEK_A.isoformat()}/"
    )
    html = page.content.decode()
    assert 'class="muted declared"' in html and html.count("checked") == 3  # one absent, two present
    with django_capture_on_commit_callbacks(execute=True):
        take(school, lesson, {school.students[0]: "absent"})
    assert mail.outbox == []
    assert notice_of(school, school.students[0]) == NoticeState.NONE
    assert (
        client_for(school.teacher, school.establishment, api=True)
        .post(
            "/api/v1/attendance/declarations/",
            {"child": school.students[0].pk, "start": "2026-09-14", "end": "2026-09-14", "reason": "family"},
            format="json",
        )
        .status_code
        == 403
    )


def test_the_guardian_and_follow_up_pages(school: School):
    lesson = school.lesson()
    take(school, lesson, {school.students[0]: "absent"})
    page = client_for(school.guardian, school.establishment)
    html = page.get("/attendance/family/").content.decode()
    assert school.students[0].display_name in html and school.students[1].display_name not in html
    posted = page.post(
        "/attendance/family/",
        {"child": school.students[0].pk, "kind": "justify", "start": "2026-09-14", "reason": "illness"},
    )
    assert posted.status_code == 302
    assert (
        page.post(
            "/attendance/family/",
            {"child": school.students[1].pk, "kind": "justify", "start": "2026-09-14", "reason": "illness"},
        ).status_code
        == 404
    )
    life = client_for(school.school_life, school.establishment)
    with schema_context(school.establishment.schema_name):
        justification = Justification.objects.get(student__user_id=school.students[0].pk)
    assert (
        life.post(
            "/attendance/follow-up/", {"action": "accept", "justification": justification.pk}
        ).status_code
        == 302
    )
    with schema_context(school.establishment.schema_name):
        justification.refresh_from_db()
    assert justification.status == "accepted"
    assert client_for(school.teacher, school.establishment).get("/attendance/follow-up/").status_code == 403
