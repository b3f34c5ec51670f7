"""The head publishes a class's report cards: each student's PDF is made in the background,
stored under the establishment's prefix, its text holds the right averages; the student and the
guardians are told; families download their own only (guessing another card's URL is 404); a
regeneration keeps the previous version; another establishment's cards are 404."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django_tenants.utils import schema_context

from shared_apps.identity.roles import Role
from shared_apps.identity.services import membership_grant
from tenant_apps.notifications.models import Notification
from tenant_apps.reportcards.models import Publication, ReportCard
from tests.conftest import client_for
from tests.factories import member
from tests.reportcards.helpers import pdf_text, prepare, stored_text
from tests.timetable.helpers import School

API = "/api/v1/reportcards"


def publish(school: School, capture) -> dict:
    head = client_for(school.extra["head"], school.establishment, api=True)
    with capture(execute=True):
        answer = head.post(
            f"{API}/publications/",
            {"period_id": school.extra["t1"].pk, "class_id": school.school_class.pk},
            format="json",
        )
    assert answer.status_code == 202, answer.json()
    return answer.json()


def test_publication_makes_every_pdf_with_the_right_averages(
    school: School, run_publications, django_capture_on_commit_callbacks
):
    prepare(school)
    publication = publish(school, django_capture_on_commit_callbacks)
    head = client_for(school.extra["head"], school.establishment, api=True)
    progress = head.get(f"{API}/publications/{publication['id']}/").json()
    assert (progress["status"], progress["done"], progress["total"]) == ("done", 3, 3)
    with schema_context(school.establishment.schema_name):
        cards = {c.student.user_id: c for c in ReportCard.objects.select_related("student")}
        assert all(
            c.file.startswith(f"{school.establishment.schema_name}/reportcards/") for c in cards.values()
        )
        assert all(default_storage.exists(c.file) for c in cards.values())
    first = stored_text(school, cards[school.students[0].pk])
    # In French (the report card's language), decimal commas.
    # Maths: (7.25/10 → 14.5 x 2 + 14.5) / 3 = 14.50; English 15; overall (14.5 + 15) / 2 = 14.75.
    # The class in maths: first 14.50, second (9 x 2 + 9.25) / 3 = 9.0833… → 9.08; mean 11.79.
    for text in (
        "14,50",
        "15,00",
        "14,75",
        "9,08",
        "11,79",
        "Travail sérieux et régulier.",
        "Très bon trimestre.",
    ):
        assert text in first, text
    assert school.students[0].display_name in first and school.establishment.name in first
    assert "9,08" in stored_text(school, cards[school.students[1].pk])
    # The student and the guardian were told, once per card.
    with schema_context(school.establishment.schema_name):
        told = Notification.objects.get(source=f"report_card:{cards[school.students[0].pk].pk}")
        assert set(told.recipients.values_list("user_id", flat=True)) == {
            school.students[0].pk,
            school.guardian.pk,
        }
    # Running the task again makes nothing more.
    with schema_context(school.establishment.schema_name):
        assert run_publications.apply((publication["id"],)).get() == 0
        Publication.objects.filter(pk=publication["id"]).update(status="running")
        assert run_publications.apply((publication["id"],)).get() == 0
        assert ReportCard.objects.count() == 3


def test_families_download_their_own_report_cards_only(
    school: School, run_publications, django_capture_on_commit_callbacks
):
    prepare(school)
    publish(school, django_capture_on_commit_callbacks)
    with schema_context(school.establishment.schema_name):
        cards = {c.student.user_id: c.pk for c in ReportCard.objects.select_related("student")}
    child, classmate = school.students[0].pk, school.students[1].pk
    for user in (school.students[0], school.guardian):
        api = client_for(user, school.establishment, api=True)
        listed = api.get(f"{API}/").json()
        assert [row["id"] for row in listed["results"]] == [cards[child]]
        answer = api.get(f"{API}/{cards[child]}/pdf/")
        assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
        assert "14,75" in pdf_text(b"".join(answer.streaming_content))
        assert api.get(f"{API}/{cards[classmate]}/pdf/").status_code == 404
        page = client_for(user, school.establishment)
        assert page.get(f"/reportcards/{cards[classmate]}/pdf/").status_code == 404
        assert page.get(f"/reportcards/{cards[child]}/pdf/").status_code == 200
        home = page.get("/reportcards/").content.decode()
        assert (
            f"/reportcards/{cards[child]}/pdf/" in home
            and f"/reportcards/{cards[classmate]}/pdf/" not in home
        )
    # Another student of the school, a teacher: nothing to download.
    for user in (school.other_student, school.other_teacher):
        assert (
            client_for(user, school.establishment, api=True).get(f"{API}/{cards[child]}/pdf/").status_code
            == 404
        )
    assert (
        client_for(school.guardian, school.establishment, api=True)
        .post(f"{API}/publications/", {})
        .status_code
        == 403
    )


def test_a_regenerated_report_card_keeps_the_previous_version(
    school: School, run_publications, django_capture_on_commit_callbacks
):
    prepare(school)
    publish(school, django_capture_on_commit_callbacks)
    with schema_context(school.establishment.schema_name):
        first = ReportCard.objects.get(student__user_id=school.students[0].pk)
    from tests.grades.helpers import assessment, enter

    correction = assessment(school, title="Rattrapage")
    enter(school, correction, {school.students[0].pk: "20"})
    head = client_for(school.extra["head"], school.establishment, api=True)
    made = head.post(f"{API}/{first.pk}/regenerate/")
    assert made.status_code == 201 and made.json()["version"] == 2
    with schema_context(school.establishment.schema_name):
        versions = list(ReportCard.objects.filter(student__user_id=school.students[0].pk).order_by("version"))
        assert [(c.version, c.is_current) for c in versions] == [(1, False), (2, True)]
        assert default_storage.exists(versions[0].file) and versions[0].file != versions[1].file
    # Maths now (14.5 x 2 + 14.5 + 20) / 4 = 15.875 → 15.88
    assert "15,88" in stored_text(school, versions[1]) and "15,88" not in stored_text(school, versions[0])
    guardian = client_for(school.guardian, school.establishment, api=True)
    assert [row["version"] for row in guardian.get(f"{API}/").json()["results"]] == [2]
    assert guardian.get(f"{API}/{first.pk}/pdf/").status_code == 404  # the old version is staff's
    assert head.get(f"{API}/{first.pk}/pdf/").status_code == 200
    assert [
        row["version"] for row in head.get(f"{API}/?all=1&student={school.students[0].pk}").json()["results"]
    ] == [2, 1]
    assert (
        client_for(school.teacher, school.establishment, api=True)
        .post(f"{API}/{first.pk}/regenerate/")
        .status_code
        == 403
    )


def test_another_establishments_report_cards_are_404(
    school: School, run_publications, django_capture_on_commit_callbacks, school_b
):
    prepare(school)
    publish(school, django_capture_on_commit_callbacks)
    with schema_context(school.establishment.schema_name):
        card = ReportCard.objects.first()
        publication = Publication.objects.first()
    assert card is not None and publication is not None
    staff = member(school_b, Role.HEAD)
    membership_grant(actor=None, user=staff, establishment=school_b, role=Role.ESTABLISHMENT_ADMIN)
    with schema_context(school_b.schema_name):
        assert not ReportCard.objects.filter(pk=card.pk).exists()
    api, page = client_for(staff, school_b, api=True), client_for(staff, school_b)
    assert api.get(f"{API}/{card.pk}/pdf/").status_code == 404
    assert api.post(f"{API}/{card.pk}/regenerate/").status_code == 404
    assert api.get(f"{API}/publications/{publication.pk}/").status_code == 404
    assert page.get(f"/reportcards/{card.pk}/pdf/").status_code == 404
    assert client_for(school.guardian, school_b, api=True).get(f"{API}/{card.pk}/pdf/").status_code == 403
