"""The leadership's pages for what only had an API: the head teacher (professeur principal) of
each class, and the grading policy (rounding, skills, the subjects' coefficients). Changes are
audited, bad input is a 400 on its field, other roles are refused, and another establishment's
head changes only their own establishment."""

from __future__ import annotations

from decimal import Decimal

from django_tenants.utils import schema_context

from shared_apps.audit.models import AuditEntry
from shared_apps.identity.roles import Role
from tenant_apps.grades import selectors as grades_selectors
from tenant_apps.reportcards.models import HeadTeacher
from tests.conftest import client_for
from tests.factories import member
from tests.timetable.helpers import School

HEADS = "/reportcards/head-teachers/"
POLICY = "/grades/policy/"


def _heads(school: School) -> dict[int, int]:
    with schema_context(school.establishment.schema_name):
        return dict(HeadTeacher.objects.values_list("school_class_id", "teacher__user_id"))


def test_the_head_names_the_head_teachers_on_a_page(school: School, school_b, django_assert_max_num_queries):
    head = client_for(school.extra["head"], school.establishment)
    field = f"class_{school.school_class.pk}"
    with django_assert_max_num_queries(22):
        shown = head.get(HEADS)
    html = shown.content.decode()
    assert shown.status_code == 200 and f'for="id_{field}"' in html
    assert f"Head teacher of {school.school_class.name}" in html
    assert 'href="/reportcards/head-teachers/"' in head.get("/reportcards/").content.decode()
    before = AuditEntry.objects.filter(action="reportcards.head_teacher_set").count()
    saved = head.post(HEADS, {field: str(school.teacher.pk)})
    assert saved.status_code == 302
    assert _heads(school) == {school.school_class.pk: school.teacher.pk}
    assert AuditEntry.objects.filter(action="reportcards.head_teacher_set").count() == before + 1
    # Sent again unchanged: nothing written, nothing audited.
    assert head.post(HEADS, {field: str(school.teacher.pk)}).status_code == 302
    assert AuditEntry.objects.filter(action="reportcards.head_teacher_set").count() == before + 1
    # A student is not a teacher: refused on the field.
    refused = head.post(HEADS, {field: str(school.students[0].pk)})
    assert refused.status_code == 400 and 'aria-invalid="true"' in refused.content.decode()
    assert _heads(school) == {school.school_class.pk: school.teacher.pk}
    # Removed.
    assert head.post(HEADS, {field: ""}).status_code == 302 and _heads(school) == {}
    # Teachers and families may not; another school's head sees and changes only their classes.
    for user in (school.teacher, school.guardian, school.students[0], school.admin):
        assert client_for(user, school.establishment).get(HEADS).status_code in (403, 404), user
    other = client_for(member(school_b, Role.HEAD), school_b)
    assert school.school_class.name not in other.get(HEADS).content.decode()
    assert other.post(HEADS, {field: str(school.teacher.pk)}).status_code == 302
    assert _heads(school) == {}


def test_the_head_sets_the_grading_policy_on_a_page(school: School, school_b, django_assert_max_num_queries):
    head = client_for(school.extra["head"], school.establishment)
    math = f"coef_{school.math.pk}"
    with django_assert_max_num_queries(22):
        shown = head.get(POLICY)
    html = shown.content.decode()
    assert shown.status_code == 200 and 'type="radio"' in html and f'id="id_{math}"' in html
    assert 'href="/grades/policy/"' in head.get("/grades/").content.decode()
    saved = head.post(
        POLICY, {"rounding": "0.5", "skills_enabled": "on", math: "3", f"coef_{school.english.pk}": "1"}
    )
    assert saved.status_code == 302
    with schema_context(school.establishment.schema_name):
        assert grades_selectors.rounding_step() == Decimal("0.5") and grades_selectors.skills_enabled()
        assert grades_selectors.subject_coefficients() == {school.math.pk: Decimal(3)}
    assert AuditEntry.objects.filter(action="grades.subject_coefficient_set").exists()
    for bad in ({"rounding": "0.3"}, {"rounding": "0.1", math: "-1"}, {"rounding": "0.1", math: "1.234"}):
        refused = head.post(POLICY, {math: "2", f"coef_{school.english.pk}": "1", **bad})
        assert refused.status_code == 400 and 'aria-invalid="true"' in refused.content.decode(), bad
    with schema_context(school.establishment.schema_name):
        assert grades_selectors.rounding_step() == Decimal("0.5")
        assert grades_selectors.subject_coefficients() == {school.math.pk: Decimal(3)}
    for user in (school.teacher, school.guardian, school.school_life):
        assert client_for(user, school.establishment).get(POLICY).status_code in (403, 404), user
    other = client_for(member(school_b, Role.HEAD), school_b)
    assert other.post(POLICY, {"rounding": "1"}).status_code == 302
    with schema_context(school.establishment.schema_name):
        assert grades_selectors.rounding_step() == Decimal("0.5")
