"""The desk's pages: a manager builds and publishes a form, a guardian saves a draft then submits
it (errors next to the questions), sees what they answered; the reader follows the completion
and the answers; bounded queries."""

from __future__ import annotations

from django_tenants.utils import tenant_context

from tenant_apps.forms.models import Answer, Form
from tests.conftest import client_for
from tests.forms.helpers import trip_form
from tests.timetable.helpers import School


def test_building_and_publishing_a_form_through_the_pages(school: School):
    head = client_for(school.extra["head"], school.establishment)
    assert head.get("/forms/").status_code == 200
    assert head.get("/forms/new/").status_code == 200
    data = {
        "title": "Inscription à la cantine",
        "kind": "canteen",
        "audience": "guardians",
        "classes": [school.school_class.pk],
        "deadline": "2099-06-30T18:00",
        "reader_roles": ["admin_staff"],
        "retention_days": "365",
        "questions": "choice; Régime; Externe | Demi-pensionnaire\n?text; Allergies",
    }
    assert head.post("/forms/new/", {**data, "questions": "nope"}).status_code == 400
    created = head.post("/forms/new/", data)
    assert created.status_code == 302
    with tenant_context(school.establishment):
        form = Form.objects.get(title="Inscription à la cantine")
        assert [q.required for q in form.questions.all()] == [True, False]
    assert head.post(created["Location"], {"action": "publish"}).status_code == 302
    with tenant_context(school.establishment):
        assert Form.objects.get(pk=form.pk).status == "published"


def test_a_guardian_fills_the_form_and_the_reader_sees_it(school: School, django_assert_max_num_queries):
    form = trip_form(school)
    with tenant_context(school.establishment):
        questions = list(form.questions.all())
    guardian = client_for(school.guardian, school.establishment)
    home = guardian.get("/forms/").content.decode()
    assert "Sortie au musée" in home and "not answered" in home
    url = f"/forms/{form.pk}/answers/{school.students[0].pk}/"
    assert guardian.get(url).status_code == 200
    draft = guardian.post(url, {f"q{questions[1].pk}": "Cantine", "action": "draft"})
    assert draft.status_code == 302
    refused = guardian.post(url, {f"q{questions[1].pk}": "Cantine", "action": "submit"})
    assert refused.status_code == 400 and "Tick the box to sign." in refused.content.decode()
    submitted = guardian.post(
        url, {f"q{questions[0].pk}": "on", f"q{questions[1].pk}": "Cantine", "action": "submit"}
    )
    assert submitted.status_code == 302
    shown = guardian.get(url).content.decode()
    assert "What was answered" in shown and "disabled" in shown
    assert guardian.get(f"/forms/{form.pk}/answers/{school.students[1].pk}/").status_code == 404
    with tenant_context(school.establishment):
        assert Answer.objects.get(form=form).status == "submitted"
    admin = client_for(school.admin, school.establishment)
    with django_assert_max_num_queries(25):
        detail = admin.get(f"/forms/{form.pk}/")
    assert detail.status_code == 200 and school.students[0].display_name in detail.content.decode()
    assert admin.get(url).status_code == 200
    head = client_for(school.extra["head"], school.establishment)
    detail = head.get(f"/forms/{form.pk}/").content.decode()
    assert "33 %" in detail and school.students[0].display_name not in detail
    assert head.get(url).status_code == 404


def test_a_guardians_list_of_forms_costs_the_same_queries_for_one_form_or_four(school: School):
    """The children a guardian answers for are read once for the page, not once per form."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    guardian = client_for(school.guardian, school.establishment)
    trip_form(school, title="Sortie 1")
    guardian.get("/forms/")  # caches filled
    with CaptureQueriesContext(connection) as one:
        first = guardian.get("/forms/").content.decode()
    for n in range(2, 5):
        trip_form(school, title=f"Sortie {n}")
    with CaptureQueriesContext(connection) as four:
        page = guardian.get("/forms/").content.decode()
    assert "Sortie 1" in first and all(f"Sortie {n}" in page for n in range(1, 5))
    assert page.count("not answered") == 4
    assert len(four.captured_queries) == len(one.captured_queries)
