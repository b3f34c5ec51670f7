"""The GAR's nightly export: only the attributes the GAR asks for, in its XML feed (checked
against the feed's structure), split into bounded files, delivered by SFTP to a real SFTP server
(paramiko's, in a thread) once a night; a failed delivery is recorded, visible and retried."""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path
from typing import Any

import paramiko
import pytest
from django_tenants.utils import schema_context
from lxml import etree

from shared_apps.connectors.gar_export import gar_exclusion_set, gar_export_run, gar_feed_build, gar_ido
from shared_apps.connectors.models import GarExportStatus
from shared_apps.identity.roles import Role
from tests.conftest import client_for
from tests.connectors.sftp_server import ed25519_key_file, sftp_server
from tests.factories import member
from tests.support.helpers import operator

pytestmark = pytest.mark.django_db
SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).with_name("gar-ent-structure.xsd"))))
NIGHT = datetime.date(2026, 1, 15)  # not today: the worker test commits today's night


@pytest.fixture
def school(school_a: Any) -> dict[str, Any]:
    from tenant_apps.school.models import Member, SchoolClass
    from tenant_apps.structure.models import Group, Subject, TeachingAssignment

    with schema_context(school_a.schema_name):
        school_class = SchoolClass.objects.create(name="3e Gar", level="3e")
    student = member(school_a, Role.STUDENT, class_name="3e Gar", email="eleve@example.test")
    objector = member(school_a, Role.STUDENT, class_name="3e Gar")
    gar_exclusion_set(actor=None, establishment=school_a, user=objector, reason="Opposition de la famille")
    gone = member(school_a, Role.STUDENT, class_name="3e Gar", is_active=False)
    guardian = member(school_a, Role.GUARDIAN, email="parent@example.test")
    teacher = member(school_a, Role.TEACHER, email="prof@example.test")
    cpe = member(school_a, Role.SCHOOL_LIFE)
    with schema_context(school_a.schema_name):
        subject = Subject.objects.create(code="ANG", name="Anglais")
        group = Group.objects.create(name="Anglais LV1 Gar")
        group.members.add(Member.objects.get(user_id=student.pk))
        teacher_row = Member.objects.get(user_id=teacher.pk)
        TeachingAssignment.objects.create(teacher=teacher_row, subject=subject, school_class=school_class)
        TeachingAssignment.objects.create(teacher=teacher_row, subject=subject, group=group)
    return {
        "student": student,
        "objector": objector,
        "gone": gone,
        "guardian": guardian,
        "teacher": teacher,
        "cpe": cpe,
    }


def documents(school_a: Any, **options: Any) -> dict[str, list[etree._Element]]:
    feed, _counts = gar_feed_build(uais=[school_a.uai])
    found: dict[str, list[etree._Element]] = {}
    for name, data in feed.files(prefix="MBN", night="20261205", max_bytes=options.get("max_bytes", 10**7)):
        assert len(data) <= options.get("max_bytes", 10**7)
        root = etree.fromstring(data)
        SCHEMA.assertValid(root)
        found.setdefault(name.split("-Full-")[1].split("_")[0], []).append(root)
    return found


def texts(roots: list[etree._Element], name: str) -> list[str]:
    return [e.text for root in roots for e in root.iter(f"{{http://data.education.fr/ns/gar}}{name}")]


def test_the_feed_has_only_the_people_and_attributes_the_gar_asks_for(school_a, school):
    found = documents(school_a)
    everything = b"".join(etree.tostring(r) for roots in found.values() for r in roots)

    assert texts(found["Eleve"], "GARPersonIdentifiant") == [gar_ido(school["student"].pk)]
    staff = set(texts(found["Enseignant"], "GARPersonIdentifiant"))
    assert staff == {gar_ido(school["teacher"].pk), gar_ido(school["cpe"].pk)}
    assert set(texts(found["Enseignant"], "GARPersonProfil")) == {"National_ens", "National_evs"}
    for left_out in ("objector", "gone", "guardian"):
        assert gar_ido(school[left_out].pk).encode() not in everything
    assert b"@example.test" not in everything  # no e-mail address unless the GAR asks for it
    assert b"DateNaissance" not in everything and b"Resp" not in everything  # no birth date, no guardian
    groups = found["Groupe"]
    assert set(texts(groups, "GARGroupeCode")) >= {"3e Gar", "Anglais LV1 Gar"}
    assert texts(groups, "GARGroupeDivAppartenance") == ["3e Gar"]
    assert texts(groups, "GARMatiereCode") == ["ANG", "ANG"]


def test_teachers_addresses_only_when_the_gar_asks(school_a, school, settings):
    settings.GAR_EXPORT = settings.GAR_EXPORT | {"TEACHER_EMAIL": True}
    found = documents(school_a)
    assert texts(found["Enseignant"], "GARPersonMail") == ["prof@example.test"]
    assert b"eleve@example.test" not in etree.tostring(found["Eleve"][0])


def test_a_large_feed_is_split_into_bounded_files(school_a, school):
    for _ in range(4):
        member(school_a, Role.STUDENT, class_name="3e Gar")
    found = documents(school_a, max_bytes=1200)
    assert len(found["Eleve"]) >= 3  # each file valid and under the bound (checked in documents)
    assert sum(len(root) for root in found["Eleve"]) == 5  # every student once, none lost


@pytest.fixture
def drop_point(tmp_path: Path, settings: Any) -> Any:
    folder = tmp_path / "gar"
    folder.mkdir()
    key_file = ed25519_key_file(tmp_path / "client_ed25519")
    key = paramiko.Ed25519Key.from_private_key_file(key_file)
    with sftp_server(folder, "mbn", key) as (port, host_key):
        settings.GAR_EXPORT = settings.GAR_EXPORT | {
            "DELIVERY": "sftp",
            "SFTP_HOST": "127.0.0.1",
            "SFTP_PORT": port,
            "SFTP_USER": "mbn",
            "SFTP_KEY_FILE": key_file,
            "SFTP_HOST_KEY": host_key,
            "SFTP_PATH": ".",
            "ZIP": True,
        }
        yield folder


def test_the_night_is_delivered_by_sftp_once(school_a, school, drop_point):
    run = gar_export_run(night=NIGHT)

    assert run.status == GarExportStatus.DELIVERED, run.error
    assert run.files == ["MBN_GAR-ENT-Full_20260115.zip"]
    archive = zipfile.ZipFile(io.BytesIO((drop_point / run.files[0]).read_bytes()))
    names = archive.namelist()
    assert any("GAR-ENT-Full-Eleve" in n for n in names) and any("GAR-ENT-Full-Groupe" in n for n in names)
    for name in names:
        SCHEMA.assertValid(etree.fromstring(archive.read(name)))
    assert run.counts["students"] >= 1 and run.counts["excluded"] >= 1
    assert not list(drop_point.glob(".*.part"))
    (drop_point / run.files[0]).unlink()

    again = gar_export_run(night=NIGHT)  # the same night: not sent twice
    assert again.pk == run.pk and again.attempts == 1
    assert not (drop_point / run.files[0]).exists()


def test_a_failed_delivery_is_recorded_shown_and_retried(school_a, school, drop_point, settings):
    good = settings.GAR_EXPORT
    settings.GAR_EXPORT = good | {
        "SFTP_HOST_KEY": "ssh-ed25519 "
        + paramiko.Ed25519Key.from_private_key_file(
            ed25519_key_file(drop_point.parent / "impostor")
        ).get_base64()
    }

    failed = gar_export_run(night=NIGHT)
    assert failed.status == GarExportStatus.FAILED and failed.error
    assert not list(drop_point.iterdir())  # nothing delivered to a server that is not the GAR's
    boss = operator()
    page = client_for(boss).get("/connectors/gar-exports/")
    assert page.status_code == 200 and "Failed" in page.content.decode()
    rows = client_for(boss, api=True).get("/api/v1/connectors/gar-exports/").json()["results"]
    assert rows[0]["status"] == "failed" and rows[0]["error"]
    teacher = school["teacher"]
    assert client_for(teacher, school_a, api=True).get("/api/v1/connectors/gar-exports/").status_code == 403

    settings.GAR_EXPORT = good
    retried = gar_export_run(night=NIGHT)
    assert retried.status == GarExportStatus.DELIVERED and retried.attempts == 2
    assert (drop_point / retried.files[0]).exists()


def test_the_demo_delivers_to_a_local_folder(school_a, school, settings, tmp_path):
    settings.GAR_EXPORT = settings.GAR_EXPORT | {
        "DELIVERY": "local",
        "LOCAL_DIR": str(tmp_path),
        "ZIP": False,
    }
    run = gar_export_run(night=NIGHT)
    assert run.status == GarExportStatus.DELIVERED
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(run.files)


def test_leaders_leave_people_out_of_the_export_and_send_them_again(school_a, school_b, school):
    head = member(school_a, Role.HEAD)
    client = client_for(head, school_a, api=True)
    student = school["student"]

    made = client.post(
        "/api/v1/connectors/gar-exclusions/", {"login": student.login, "reason": "Opposition"}, format="json"
    )
    assert made.status_code == 201, made.content
    assert gar_ido(student.pk).encode() not in b"".join(
        etree.tostring(r) for roots in documents(school_a).values() for r in roots
    )
    stranger = member(school_b, Role.STUDENT)
    refused = client.post("/api/v1/connectors/gar-exclusions/", {"login": stranger.login}, format="json")
    assert refused.status_code == 400 and "login" in refused.json()["error"]["fields"]
    other_head = client_for(member(school_b, Role.HEAD), school_b, api=True)
    assert other_head.get("/api/v1/connectors/gar-exclusions/").json()["count"] == 0
    assert other_head.delete(f"/api/v1/connectors/gar-exclusions/{made.json()['id']}/").status_code == 404
    assert (
        client_for(school["teacher"], school_a, api=True)
        .get("/api/v1/connectors/gar-exclusions/")
        .status_code
        == 403
    )

    page = client_for(head, school_a).get("/connectors/gar-exclusions/")
    assert student.login in page.content.decode()
    lifted = client_for(head, school_a).post(f"/connectors/gar-exclusions/{made.json()['id']}/lift/")
    assert lifted.status_code == 302
    assert texts(documents(school_a)["Eleve"], "GARPersonIdentifiant") == [gar_ido(student.pk)]
