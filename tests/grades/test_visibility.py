"""Who sees which grades: a student their own, from the publication date; a guardian their
child's; the class's spread with each grade; another student's grades, unpublished assessments,
another teacher's assessments and another establishment's objects are 404."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shared_apps.identity.roles import Role
from shared_apps.identity.services import membership_grant
from tests.conftest import client_for
from tests.factories import member
from tests.grades.helpers import assessment, enter
from tests.timetable.helpers import School

API = "/api/v1/grades"


def test_families_see_grades_from_the_publication_date_only_their_own(school: School):
    today = timezone.localdate()
    later = assessment(school, title="Pas encore", published_on=today + datetime.timedelta(days=1))
    hidden = assessment(school, title="Brouillon")
    shown = assessment(school, title="Rendu", published_on=today)
    child, classmate = school.students[0], school.students[1]
    for found in (later, hidden, shown):
        enter(school, found, {child.pk: "14", classmate.pk: "8"})
    for user in (child, school.guardian):
        api = client_for(user, school.establishment, api=True)
        for found in (later, hidden):
            assert api.get(f"{API}/assessments/{found.pk}/").status_code == 404
            assert api.get(f"{API}/assessments/{found.pk}/grades/").status_code == 404
        detail = api.get(f"{API}/assessments/{shown.pk}/").json()
        assert detail["spread"] == {"average": "11.00", "minimum": "8.00", "maximum": "14.00", "count": 2}
        rows = api.get(f"{API}/assessments/{shown.pk}/grades/").json()
        assert [(r["student_id"], r["value"]) for r in rows] == [(child.pk, "14.00")]
        student = api.get(f"{API}/students/{child.pk}/").json()
        assert [line["assessment"]["title"] for line in student["grades"]] == ["Rendu"]
        assert api.get(f"{API}/students/{classmate.pk}/").status_code == 404
        assert (
            api.put(f"{API}/assessments/{shown.pk}/grades/", {"cells": {}}, format="json").status_code == 403
        )
        page = client_for(user, school.establishment).get(
            f"/grades/students/{child.pk}/?period={school.extra['t1'].pk}"
        )
        html = page.content.decode()
        assert (
            page.status_code == 200
            and "Rendu" in html
            and "Brouillon" not in html
            and "Pas encore" not in html
        )
        assert (
            client_for(user, school.establishment).get(f"/grades/students/{classmate.pk}/").status_code == 404
        )
    # The classmate sees only their own grade.
    rows = (
        client_for(classmate, school.establishment, api=True)
        .get(f"{API}/assessments/{shown.pk}/grades/")
        .json()
    )
    assert [(r["student_id"], r["value"]) for r in rows] == [(classmate.pk, "8.00")]
    # A student of another class does not find the class's assessment.
    other = client_for(school.other_student, school.establishment, api=True)
    assert other.get(f"{API}/assessments/{shown.pk}/").status_code == 404
    # The teacher sees every grade; the other teacher nothing; the leadership everything.
    teacher = client_for(school.teacher, school.establishment, api=True)
    assert len(teacher.get(f"{API}/assessments/{hidden.pk}/grades/").json()) == 2
    assert teacher.get(f"{API}/assessments/").json()["count"] == 3
    outsider = client_for(school.other_teacher, school.establishment, api=True)
    assert outsider.get(f"{API}/assessments/").json()["count"] == 0
    assert outsider.get(f"{API}/assessments/{hidden.pk}/").status_code == 404
    assert (
        outsider.put(f"{API}/assessments/{hidden.pk}/grades/", {"cells": {}}, format="json").status_code
        == 404
    )
    head = client_for(school.extra["head"], school.establishment, api=True)
    assert head.get(f"{API}/assessments/").json()["count"] == 3
    assert head.put(f"{API}/assessments/{hidden.pk}/grades/", {"cells": {}}, format="json").status_code == 403
    staff_view = head.get(f"{API}/students/{child.pk}/").json()
    assert {line["assessment"]["title"] for line in staff_view["grades"]} == {
        "Rendu",
        "Brouillon",
        "Pas encore",
    }
    # The guardian's home lists the child; the student's home leads to their page.
    home = client_for(school.guardian, school.establishment).get("/grades/")
    assert home.status_code == 200 and f"/grades/students/{child.pk}/" in home.content.decode()
    assert (
        "Rendu"
        in client_for(child, school.establishment)
        .get(f"/grades/?period={school.extra['t1'].pk}")
        .content.decode()
    )


def test_a_students_page_reads_a_fixed_number_of_queries(school: School):
    today = timezone.localdate()
    for n in range(6):
        found = assessment(school, title=f"Contrôle {n}", published_on=today)
        enter(school, found, {s.pk: str(10 + n) for s in school.students})
    page = client_for(school.guardian, school.establishment)
    url = f"/grades/students/{school.students[0].pk}/?period={school.extra['t1'].pk}"
    assert page.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        answer = page.get(url)
    assert answer.status_code == 200 and "12.50" in answer.content.decode()
    assert len(queries) <= 25, [q["sql"][:120] for q in queries.captured_queries]


def test_another_establishments_grades_are_404(school: School, school_b):
    found = assessment(school, published_on=timezone.localdate())
    enter(school, found, {school.students[0].pk: "12"})
    staff = member(school_b, Role.HEAD)
    for role in (Role.TEACHER, Role.ESTABLISHMENT_ADMIN):
        membership_grant(actor=None, user=staff, establishment=school_b, role=role)
    api, page = client_for(staff, school_b, api=True), client_for(staff, school_b)
    from django_tenants.utils import schema_context

    from tenant_apps.grades.models import Assessment

    with schema_context(school_b.schema_name):
        assert not Assessment.objects.filter(pk=found.pk).exists()
    assert api.get(f"{API}/assessments/{found.pk}/").status_code == 404
    assert api.get(f"{API}/assessments/{found.pk}/grades/").status_code == 404
    assert api.put(f"{API}/assessments/{found.pk}/grades/", {"cells": {}}, format="json").status_code == 404
    assert api.patch(f"{API}/assessments/{found.pk}/", {"title": "x"}, format="json").status_code == 404
    assert api.get(f"{API}/students/{school.students[0].pk}/").status_code == 404
    assert page.get(f"/grades/assessments/{found.pk}/").status_code == 404
    assert page.get(f"/grades/students/{school.students[0].pk}/").status_code == 404
    # School A's guardian on school B's host is not a member there.
    assert (
        client_for(school.guardian, school_b, api=True)
        .get(f"{API}/students/{school.students[0].pk}/")
        .status_code
        == 403
    )
