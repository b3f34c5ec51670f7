"""Skills of the common base, when the establishment rates them: an assessment names its domains,
its teacher rates students on the four levels; a student's summary per period (mean level to the
tenth) is the family's once the assessment is published; refused when the establishment does
not rate skills; another student's, another establishment's: 404."""

from __future__ import annotations

from django.utils import timezone

from tests.conftest import client_for
from tests.grades.helpers import assessment
from tests.timetable.helpers import School

API = "/api/v1/grades"


def test_skills_rated_and_summarised(school: School, school_b):
    teacher = client_for(school.teacher, school.establishment, api=True)
    head = client_for(school.extra["head"], school.establishment, api=True)
    body = {
        "title": "Problèmes",
        "date": "2026-10-05",
        "subject_id": school.math.pk,
        "period_id": school.extra["t1"].pk,
        "class_id": school.school_class.pk,
        "skill_domains": ["D1.3", "D2"],
    }
    refused = teacher.post(f"{API}/assessments/", body, format="json")
    assert refused.status_code == 400 and "skill_domains" in refused.json()["error"]["fields"]
    assert head.put(f"{API}/policy/", {"rounding": "0.01", "skills_enabled": True}, format="json").json() == {
        "rounding": "0.01",
        "skills_enabled": True,
    }
    first = teacher.post(
        f"{API}/assessments/", {**body, "published_on": str(timezone.localdate())}, format="json"
    )
    assert first.status_code == 201 and first.json()["skill_domains"] == ["D1.3", "D2"]
    second = assessment(school, title="Calcul", skill_domains=["D1.3"])
    child, classmate = school.students[0].pk, school.students[1].pk
    rate = f"{API}/assessments/{first.json()['id']}/skills/"
    assert (
        teacher.put(
            rate, {"ratings": {str(child): {"D1.3": 3, "D2": 2}, str(classmate): {"D2": 4}}}, format="json"
        ).status_code
        == 204
    )
    assert (
        teacher.put(
            f"{API}/assessments/{second.pk}/skills/", {"ratings": {str(child): {"D1.3": 2}}}, format="json"
        ).status_code
        == 204
    )
    for bad in (
        {"ratings": {str(child): {"D1.3": 5}}},
        {"ratings": {str(child): {"D4": 2}}},
        {"ratings": {str(school.other_student.pk): {"D2": 2}}},
        {"ratings": {"x": {"D2": 2}}},
    ):
        assert teacher.put(rate, bad, format="json").status_code == 400, bad
    # The family sees the published assessment's ratings only; the staff both (D1.3: (3 + 2) / 2 = 2.5).
    family = client_for(school.guardian, school.establishment, api=True)
    shown = family.get(f"{API}/students/{child}/skills/?period={school.extra['t1'].pk}").json()
    assert [(s["domain"], s["level"], s["ratings"]) for s in shown] == [("D1.3", "3.0", 1), ("D2", "2.0", 1)]
    staff = head.get(f"{API}/students/{child}/skills/").json()
    assert [(s["domain"], s["level"], s["ratings"]) for s in staff] == [("D1.3", "2.5", 2), ("D2", "2.0", 1)]
    assert family.get(f"{API}/students/{classmate}/skills/").status_code == 404
    assert (
        client_for(school.other_teacher, school.establishment, api=True)
        .put(rate, {"ratings": {}}, format="json")
        .status_code
        == 404
    )
    # Removing a rating; the student's page shows the skills.
    assert teacher.put(rate, {"ratings": {str(child): {"D2": None}}}, format="json").status_code == 204
    assert [s["domain"] for s in family.get(f"{API}/students/{child}/skills/").json()] == ["D1.3"]
    page = client_for(school.guardian, school.establishment).get(
        f"/grades/students/{child}/?period={school.extra['t1'].pk}"
    )
    assert "Skills of the common base" in page.content.decode()
    # The grid rates them too, beside the grades.
    grid = client_for(school.teacher, school.establishment)
    url = f"/grades/assessments/{second.pk}/"
    assert 'name="skill_' in grid.get(url).content.decode()
    saved = grid.post(url, {f"student_{classmate}": "12", f"skill_{classmate}_D1.3": "4"})
    assert saved.status_code == 302
    staff = head.get(f"{API}/students/{classmate}/skills/").json()
    assert [(s["domain"], s["level"]) for s in staff] == [("D1.3", "4.0"), ("D2", "4.0")]
    # Another establishment: 404.
    from shared_apps.identity.roles import Role
    from shared_apps.identity.services import membership_grant
    from tests.factories import member

    other = member(school_b, Role.HEAD)
    membership_grant(actor=None, user=other, establishment=school_b, role=Role.TEACHER)
    assert client_for(other, school_b, api=True).put(rate, {"ratings": {}}, format="json").status_code == 404
    assert client_for(other, school_b, api=True).get(f"{API}/students/{child}/skills/").status_code == 404
