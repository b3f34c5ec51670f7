"""Who sees what of the notebook, through the API and the pages: a student their class's and
groups' homework, a guardian their child's, a teacher the classes they teach, the head every
class's notebook; another school's objects and what a role may not see are 404."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from shared_apps.identity.roles import Role
from tenant_apps.homework import services
from tests.conftest import client_for
from tests.factories import member
from tests.homework.conftest import MONDAY, NEXT_MONDAY
from tests.timetable.helpers import School

API = "/api/v1/homework"


@pytest.fixture
def set_work(school: School) -> dict[str, int]:
    with schema_context(school.establishment.schema_name):
        mine = services.homework_set(
            actor=school.teacher,
            lesson=school.extra["lesson"],
            date=MONDAY,
            instructions="Exercices 1 à 4",
            due_on=NEXT_MONDAY,
            online_submission=True,
        )
        other = services.homework_set(
            actor=school.other_teacher,
            lesson=school.extra["other_lesson"],
            date=MONDAY,
            instructions="Lire le chapitre",
            due_on=NEXT_MONDAY,
        )
    return {"class": mine.pk, "other_class": other.pk, "entry": mine.entry_id}


def ids(client, path: str) -> set[int]:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code, response.content[:300])
    return {row["id"] for row in response.json()["results"]}


def test_each_role_sees_its_share(school: School, set_work):
    everything = {set_work["class"], set_work["other_class"]}
    api = {
        who: client_for(getattr(school, who), school.establishment, api=True)
        for who in ("teacher", "other_teacher", "guardian", "other_student", "school_life")
    }
    assert ids(client_for(school.extra["head"], school.establishment, api=True), f"{API}/") == everything
    assert ids(api["school_life"], f"{API}/") == everything
    assert ids(api["teacher"], f"{API}/") == {set_work["class"]}
    assert ids(api["other_teacher"], f"{API}/") == {set_work["other_class"]}
    assert ids(api["guardian"], f"{API}/") == {set_work["class"]}  # their child's class
    assert ids(api["other_student"], f"{API}/") == {set_work["other_class"]}
    student = client_for(school.students[0], school.establishment, api=True)
    assert ids(student, f"{API}/") == {set_work["class"]}
    assert student.get(f"{API}/{set_work['other_class']}/").status_code == 404
    assert api["guardian"].get(f"{API}/{set_work['other_class']}/").status_code == 404
    assert api["guardian"].get(f"{API}/?student_id={school.other_student.pk}").status_code == 404
    assert api["teacher"].get(f"{API}/{set_work['other_class']}/").status_code == 404
    assert ids(api["teacher"], f"{API}/entries/") == {set_work["entry"]}


def test_a_guardian_sees_the_done_state_but_cannot_tick(school: School, set_work):
    student = client_for(school.students[0], school.establishment, api=True)
    assert student.put(f"{API}/{set_work['class']}/done/", {"done": True}, format="json").json() == {
        "done": True
    }
    guardian = client_for(school.guardian, school.establishment, api=True)
    (row,) = guardian.get(f"{API}/").json()["results"]
    assert row["done"] is True
    assert guardian.put(f"{API}/{set_work['class']}/done/", {"done": False}, format="json").status_code == 403
    page = client_for(school.guardian, school.establishment).get("/homework/?from=2026-09-14")
    assert page.status_code == 200 and "Exercices 1 à 4" in page.content.decode()


def test_another_school_s_homework_is_404(school: School, set_work, school_b):
    stranger = member(school_b, Role.HEAD)
    teacher_b = member(school_b, Role.TEACHER)
    for path in (f"{API}/{set_work['class']}/", f"{API}/entries/{set_work['entry']}/"):
        assert client_for(stranger, school_b, api=True).get(path).status_code == 404
    assert client_for(teacher_b, school_b).get(f"/homework/{set_work['class']}/").status_code == 404
    # A teacher of school A on school B's host is not a member there.
    assert client_for(school.teacher, school_b, api=True).get(f"{API}/").status_code in (403, 404)


def test_submissions_through_the_api(school: School, set_work, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    student = client_for(school.students[1], school.establishment, api=True)
    assert student.get(f"{API}/{set_work['class']}/submission/").status_code == 404
    sent = student.post(f"{API}/{set_work['class']}/submission/", {"text": "Voici"}, format="multipart")
    assert sent.status_code == 201, sent.content
    teacher = client_for(school.teacher, school.establishment, api=True)
    (row,) = teacher.get(f"{API}/{set_work['class']}/submissions/").json()["results"]
    assert row["text"] == "Voici"
    other = client_for(school.other_teacher, school.establishment, api=True)
    assert other.get(f"{API}/{set_work['class']}/submissions/").status_code == 404
    assert (
        other.post(f"{API}/submissions/{row['id']}/return/", {"comment": "x"}, format="json").status_code
        == 404
    )
    bad = teacher.post(f"{API}/submissions/{row['id']}/return/", {"comment": ""}, format="json")
    assert bad.status_code == 400 and "comment" in bad.json()["error"]["fields"]
    back = teacher.post(f"{API}/submissions/{row['id']}/return/", {"comment": "Bien"}, format="json")
    assert back.json()["comment"] == "Bien" and back.json()["returned_at"]
    assert student.get(f"{API}/{set_work['class']}/submission/").json()["comment"] == "Bien"


def test_bad_input_is_a_400_naming_the_field(school: School):
    teacher = client_for(school.teacher, school.establishment, api=True)
    lesson = school.extra["lesson"].pk
    cases = [
        ({"lesson_id": lesson, "date": "2026-09-14", "instructions": "x", "due_on": "2026-09-13"}, "due_on"),
        ({"lesson_id": lesson, "date": "9999-01-01", "instructions": "x"}, "date"),
        (
            {"lesson_id": 10**9, "date": "2026-09-14", "instructions": "x", "due_on": "2026-09-21"},
            "lesson_id",
        ),
        (
            {"lesson_id": lesson, "date": "2026-09-14", "instructions": "", "due_on": "2026-09-21"},
            "instructions",
        ),
    ]
    for body, field in cases:
        response = teacher.post(f"{API}/", body, format="json")
        assert response.status_code == 400, (body, response.content)
        assert field in response.json()["error"]["fields"], response.json()
    entry = teacher.post(
        f"{API}/entries/", {"lesson_id": lesson, "date": "2026-09-14", "links": [{"url": "x"}]}, format="json"
    )
    assert entry.status_code == 400 and "links" in entry.json()["error"]["fields"]
    assert teacher.get(f"{API}/?from=2026-13-01").status_code == 400
    # a lesson the teacher does not teach: 404
    other = {
        "lesson_id": school.extra["other_lesson"].pk,
        "date": "2026-09-14",
        "instructions": "x",
        "due_on": "2026-09-21",
    }
    assert teacher.post(f"{API}/", other, format="json").status_code == 404
    student = client_for(school.students[0], school.establishment, api=True)
    assert student.post(f"{API}/", other, format="json").status_code == 403


def test_lists_cost_a_bounded_number_of_queries(school: School, set_work, django_assert_max_num_queries):
    with schema_context(school.establishment.schema_name):
        for day in range(2, 12):
            services.homework_set(
                actor=school.teacher,
                lesson=school.extra["lesson"],
                date=MONDAY,
                instructions=f"Travail {day}",
                due_on=MONDAY + __import__("datetime").timedelta(days=day),
            )
    guardian = client_for(school.guardian, school.establishment, api=True)
    guardian.get(f"{API}/")  # warm the access cache
    with django_assert_max_num_queries(14):
        assert guardian.get(f"{API}/").json()["count"] == 11
    page = client_for(school.students[0], school.establishment)
    page.get("/homework/")
    # The student's member row read once for the whole page (it was read four times).
    with django_assert_max_num_queries(3):
        assert page.get("/homework/?from=2026-09-14").status_code == 200


def test_the_family_view_counts_each_child_s_homework_due_this_week(school: School):
    import datetime as dt

    from django.utils import timezone

    from shared_apps.identity.family_news import FamilyChild
    from tenant_apps.homework.family_news import homework_due_soon

    today = timezone.localdate()
    with schema_context(school.establishment.schema_name):
        lesson = school.lesson(weekday=today.weekday(), start_time=dt.time(17), end_time=dt.time(18))
        for n in (1, 2):
            services.homework_set(
                actor=school.teacher,
                lesson=lesson,
                date=today,
                instructions=f"Travail {n}",
                due_on=today + dt.timedelta(days=n),
            )
        children = [
            FamilyChild(user=user, member=school.m(user), can_act=True)
            for user in (school.students[0], school.other_student)
        ]
        news = homework_due_soon(
            establishment=school.establishment, guardian=school.guardian, children=children
        )
    (item,) = news[school.students[0].pk]
    assert "2 pieces of homework due this week" in item.text
    assert school.other_student.pk not in news
