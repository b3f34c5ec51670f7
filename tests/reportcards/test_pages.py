"""The report-card pages: a teacher's appraisals, the head teacher's council page (completeness,
decisions), the head's publication with its progress, the home of each role; the API's bad
input; serving from S3 is a redirect to a signed URL (no web worker holds the transfer)."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.test import override_settings
from django_tenants.utils import schema_context

from tenant_apps.reportcards.models import Appraisal, CouncilDecision, Publication, ReportCard
from tests.conftest import S3_DOCUMENTS_BUCKET, client_for, s3_client
from tests.reportcards.helpers import prepare
from tests.timetable.helpers import School

API = "/api/v1/reportcards"


def test_appraisals_council_and_publication_pages(
    school: School, run_publications, django_capture_on_commit_callbacks
):
    prepare(school)
    t1 = school.extra["t1"].pk
    child, classmate = school.students[0].pk, school.students[1].pk
    teacher = client_for(school.teacher, school.establishment)
    home = teacher.get("/reportcards/").content.decode()
    appraisals_url = f"/reportcards/classes/{school.school_class.pk}/subjects/{school.math.pk}/periods/{t1}/"
    assert appraisals_url in home
    page = teacher.get(appraisals_url)
    assert page.status_code == 200 and "Travail sérieux" in page.content.decode()
    assert teacher.post(appraisals_url, {f"s{classmate}": "Des progrès."}).status_code == 302
    with schema_context(school.establishment.schema_name):
        assert Appraisal.objects.filter(student__user_id=classmate, text="Des progrès.").exists()
    # The other teacher does not teach the class: 404.
    assert client_for(school.other_teacher, school.establishment).get(appraisals_url).status_code == 404
    # The head teacher's council page: completeness, decisions.
    council_url = f"/reportcards/classes/{school.school_class.pk}/periods/{t1}/"
    assert council_url in home
    council = teacher.get(council_url)
    html = council.content.decode()
    assert council.status_code == 200 and "Très bon trimestre." in html and "Publish today" not in html
    assert (
        teacher.post(
            council_url,
            {f"s{classmate}-appraisal": "Doit persévérer.", f"s{classmate}-mention": "work_warning"},
        ).status_code
        == 302
    )
    assert (
        teacher.post(
            council_url, {f"s{classmate}-appraisal": "x", f"s{classmate}-mention": "nope"}
        ).status_code
        == 400
    )
    with schema_context(school.establishment.schema_name):
        assert CouncilDecision.objects.get(student__user_id=classmate).mention == "work_warning"
    assert client_for(school.other_teacher, school.establishment).get(council_url).status_code == 404
    assert teacher.post(council_url, {"action": "publish"}).status_code == 403  # the head publishes
    # The head publishes from the page and follows the progress.
    head = client_for(school.extra["head"], school.establishment)
    assert "Publish today" in head.get(council_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert head.post(council_url, {"action": "publish"}).status_code == 302
    shown = head.get(council_url).content.decode()
    assert "3 of 3" in shown
    with schema_context(school.establishment.schema_name):
        assert ReportCard.objects.count() == 3
    with schema_context(school.establishment.schema_name):
        pk = Publication.objects.get().pk
    assert "3 of 3" in head.get(f"/reportcards/publications/{pk}/progress/").content.decode()
    assert (
        client_for(school.guardian, school.establishment)
        .get(f"/reportcards/publications/{pk}/progress/")
        .status_code
        == 403
    )
    assert child  # the family's side is in test_publication.py


def test_api_bad_input_and_roles(school: School):
    head = client_for(school.extra["head"], school.establishment, api=True)
    t1 = school.extra["t1"].pk
    for body in (
        {},
        {"period_id": "x", "class_id": 1},
        {"period_id": 999999, "class_id": school.school_class.pk},
    ):
        answer = head.post(f"{API}/publications/", body, format="json")
        assert answer.status_code == 400 and answer.json()["error"]["fields"], body
    answer = head.put(
        f"{API}/head-teachers/",
        {"class_id": school.school_class.pk, "teacher_id": school.students[0].pk},
        format="json",
    )
    assert answer.status_code == 400 and "teacher_id" in answer.json()["error"]["fields"]
    assert (
        head.put(
            f"{API}/head-teachers/",
            {"class_id": school.school_class.pk, "teacher_id": school.teacher.pk},
            format="json",
        ).status_code
        == 204
    )
    teacher = client_for(school.teacher, school.establishment, api=True)
    base = {"period_id": t1, "student_id": school.students[0].pk}
    assert (
        teacher.put(
            f"{API}/appraisals/", {**base, "subject_id": school.math.pk, "text": "Bien."}, format="json"
        ).status_code
        == 204
    )
    assert (
        teacher.put(
            f"{API}/appraisals/", {**base, "subject_id": school.math.pk, "text": "x" * 601}, format="json"
        ).status_code
        == 400
    )
    other = {
        "period_id": t1,
        "student_id": school.other_student.pk,
        "subject_id": school.math.pk,
        "text": "x",
    }
    assert teacher.put(f"{API}/appraisals/", other, format="json").status_code == 404
    assert (
        teacher.put(
            f"{API}/council-decisions/",
            {**base, "appraisal": "Bien.", "mention": "compliments"},
            format="json",
        ).status_code
        == 204
    )
    assert (
        teacher.put(
            f"{API}/council-decisions/", {**base, "appraisal": "", "mention": "bravo"}, format="json"
        ).status_code
        == 400
    )
    outsider = client_for(school.other_teacher, school.establishment, api=True)
    assert (
        outsider.put(
            f"{API}/council-decisions/", {**base, "appraisal": "", "mention": ""}, format="json"
        ).status_code
        == 404
    )
    assert (
        client_for(school.guardian, school.establishment, api=True)
        .put(f"{API}/appraisals/", {}, format="json")
        .status_code
        == 403
    )


def test_serving_from_s3_redirects_to_a_signed_url(school: School, s3_endpoint):
    options = {
        "bucket_name": S3_DOCUMENTS_BUCKET,
        "endpoint_url": s3_endpoint,
        "region_name": "eu-west-3",
        "access_key": "test",
        "secret_key": "test",
        "file_overwrite": False,
    }
    storages = {
        "default": {"BACKEND": "mbn_platform.kernel.storage.EstablishmentS3Storage", "OPTIONS": options},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages), schema_context(school.establishment.schema_name):
        from django.core.files.base import ContentFile

        name = default_storage.save("reportcards/1/x.pdf", ContentFile(b"%PDF-1.7 test"))
        card = ReportCard.objects.create(
            period=school.extra["t1"],
            student=school.m(school.students[0]),
            school_class_name="6e T",
            file=name,
            published_on=school.extra["t1"].end,
        )
        answer = client_for(school.guardian, school.establishment).get(f"/reportcards/{card.pk}/pdf/")
        assert answer.status_code == 302
        assert answer["Location"].startswith(
            f"{s3_endpoint}/{S3_DOCUMENTS_BUCKET}/{school.establishment.schema_name}/reportcards/"
        )
        assert "Signature=" in answer["Location"] or "X-Amz-Signature=" in answer["Location"]
        s3_client(s3_endpoint).delete_object(Bucket=S3_DOCUMENTS_BUCKET, Key=name)
