"""The right of access (issue 13, privacy): a guardian of children in two schools downloads
everything held about them, or about one child, from both schools and the region's side, and
nothing of anyone else; each step is audited."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from mbn_platform.kernel.errors import NotFound
from shared_apps.audit.models import AuditEntry
from shared_apps.identity.models import User
from shared_apps.identity.roles import Role
from shared_apps.identity.services import guardian_link_create, membership_grant
from shared_apps.privacy.services import access_export_request
from shared_apps.privacy.tasks import access_export_task
from shared_apps.support.services import support_request_create
from tests.conftest import client_for
from tests.factories import member


@pytest.fixture
def family(school_a, school_b, monkeypatch):
    """A parent of Léa (school A) and Tom (school B); a stranger's family at school A."""
    monkeypatch.setattr(
        access_export_task, "apply_async", lambda args, **options: access_export_task.apply(args)
    )
    parent = member(school_a, Role.GUARDIAN, first_name="Parent", last_name="Deuxécoles")
    membership_grant(actor=None, user=parent, establishment=school_b, role=Role.GUARDIAN)
    lea = member(school_a, Role.STUDENT, first_name="Léa", last_name="Deuxécoles")
    tom = member(school_b, Role.STUDENT, first_name="Tom", last_name="Deuxécoles")
    guardian_link_create(actor=None, guardian=parent, child=lea)
    guardian_link_create(actor=None, guardian=parent, child=tom)
    stranger = member(school_a, Role.STUDENT, first_name="Zéphyrin", last_name="Inconnu")
    other_parent = member(school_a, Role.GUARDIAN, first_name="Autre", last_name="Parent")
    guardian_link_create(actor=None, guardian=other_parent, child=stranger)
    support_request_create(
        actor=parent, establishment=school_a, subject="Mot de passe", description="Je ne trouve plus."
    )
    support_request_create(
        actor=other_parent, establishment=school_a, subject="Confidentiel", description="Zéphyrin malade."
    )
    return parent, lea, tom


def _archive(client, export_id: int) -> dict[str, str]:  # type: ignore[no-untyped-def]
    response = client.get(f"/privacy/exports/{export_id}/")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def test_a_guardian_downloads_everything_of_theirs_from_both_schools_and_nothing_else(
    family, school_a, school_b, django_capture_on_commit_callbacks
):
    parent, _lea, _tom = family
    web = client_for(parent, None)
    with django_capture_on_commit_callbacks(execute=True):
        assert web.post("/privacy/my-data/", {}).status_code == 302
    export_id = AuditEntry.objects.get(action="privacy.access_export_requested").details["export_id"]

    files = _archive(web, export_id)

    assert {f"{school_a.uai}/member.json", f"{school_b.uai}/member.json", "region/account.json"} <= set(files)
    account = json.loads(files["region/account.json"])
    assert [row["login"] for row in account] == [parent.login]
    roles = {(m["establishment"], m["role"]) for m in json.loads(files["region/memberships.json"])}
    assert roles == {(school_a.uai, "guardian"), (school_b.uai, "guardian")}
    children = {link["child"] for link in json.loads(files["region/guardian_links.json"])}
    assert children == {"Léa Deuxécoles", "Tom Deuxécoles"}
    assert "Mot de passe" in files["region/support_requests.json"]
    everything = "".join(files.values())
    assert (
        "Zéphyrin" not in everything and "Confidentiel" not in everything and "Autre Parent" not in everything
    )
    actions = set(AuditEntry.objects.filter(action__startswith="privacy.").values_list("action", flat=True))
    assert {
        "privacy.access_export_requested",
        "privacy.access_export_built",
        "privacy.access_export_downloaded",
    } <= actions


def test_a_guardian_downloads_a_childs_data_but_not_a_strangers(
    family, school_a, school_b, django_capture_on_commit_callbacks
):
    parent, lea, _tom = family
    with django_capture_on_commit_callbacks(execute=True):
        export = access_export_request(actor=parent, subject=lea)
    files = _archive(client_for(parent, None), export.pk)
    assert f"{school_a.uai}/member.json" in files and not any(n.startswith(school_b.uai) for n in files)
    assert "Léa" in files["region/account.json"] and "Tom" not in files["region/account.json"]
    zephyrin = User.objects.get(first_name="Zéphyrin")
    with pytest.raises(NotFound):
        access_export_request(actor=parent, subject=zephyrin)
    # Someone else cannot download the parent's archive.
    assert client_for(zephyrin, None).get(f"/privacy/exports/{export.pk}/").status_code == 404
