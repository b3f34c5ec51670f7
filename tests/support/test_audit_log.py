"""The audit log: operators see the region's entries, an establishment's admins and head their
own; filters, pages, CSV export (itself audited) and the API with the same scope."""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mbn_platform.kernel.audit import audit_record
from shared_apps.audit.models import AuditEntry
from shared_apps.identity.roles import Role
from tests.conftest import client_for
from tests.factories import UserFactory, member
from tests.support.helpers import entries, operator, text


@pytest.fixture
def logged(school_a, school_b):
    """Entries of a unique action in each school, by two known people, one of them days ago."""
    action = f"probe.{uuid.uuid4().hex[:8]}"
    alice = UserFactory(login=f"alice-{uuid.uuid4().hex[:6]}")
    bob = UserFactory(login=f"bob-{uuid.uuid4().hex[:6]}")
    audit_record(actor=alice, action=action, establishment=school_a, details={"n": 1})
    audit_record(actor=bob, action=action, establishment=school_b, details={"n": 2})
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() - timedelta(days=10)):
        audit_record(actor=alice, action=action, establishment=school_a, details={"n": 3, "x": "=1+1"})
    return {"action": action, "alice": alice, "bob": bob}


def _details(page) -> list[int]:
    return sorted(int(n) for n in re.findall(r"&#x27;n&#x27;: (\d+)", page.content.decode()))


def test_operators_see_the_region_and_filter_it(logged, school_a):
    portal = client_for(operator(), None)
    action = logged["action"]

    assert _details(portal.get(f"/audit/?action={action}")) == [1, 2, 3]
    assert _details(portal.get(f"/audit/?action={action}&uai={school_a.uai}")) == [1, 3]
    assert _details(portal.get(f"/audit/?action={action}&actor={logged['bob'].login}")) == [2]
    since = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert _details(portal.get(f"/audit/?action={action}&from={since}")) == [1, 2]
    until = (timezone.localdate() - timedelta(days=5)).isoformat()
    assert _details(portal.get(f"/audit/?action={action}&to={until}")) == [3]
    assert _details(portal.get("/audit/?action=probe.")) == [1, 2, 3]  # a prefix
    invalid = portal.get("/audit/?from=yesterday")
    assert invalid.status_code == 400 and "YYYY-MM-DD" in text(invalid)


def test_an_establishments_admins_see_their_entries_only(logged, school_a, school_b):
    for role in (Role.ESTABLISHMENT_ADMIN, Role.HEAD):
        client = client_for(member(school_a, role), school_a)
        assert _details(client.get(f"/audit/?action={logged['action']}")) == [1, 3]
        # The UAI filter cannot widen the scope.
        assert _details(client.get(f"/audit/?action={logged['action']}&uai={school_b.uai}")) == [1, 3]


@pytest.mark.parametrize("role", [Role.TEACHER, Role.STUDENT, Role.ADMIN_STAFF])
def test_other_roles_cannot_read_the_log(logged, school_a, role):
    client = client_for(member(school_a, role), school_a)
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export.csv").status_code == 403
    assert (
        client_for(member(school_a, role), school_a, api=True).get("/api/v1/audit/entries/").status_code
        == 403
    )


def test_nobody_reads_the_region_log_but_operators(school_a):
    for user in (UserFactory(), member(school_a, Role.ESTABLISHMENT_ADMIN)):
        assert client_for(user, None).get("/audit/").status_code == 403
        assert client_for(user, None, api=True).get("/api/v1/audit/entries/").status_code == 403
    admin_of_a = member(school_a, Role.ESTABLISHMENT_ADMIN)
    assert client_for(admin_of_a, None).get("/audit/export.csv").status_code == 403


def test_the_csv_export_follows_the_filters_and_is_audited_once(logged, school_a):
    admin = member(school_a, Role.ESTABLISHMENT_ADMIN)
    response = client_for(admin, school_a).get(f"/audit/export.csv?action={logged['action']}")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["actor_login"] for row in rows] == [logged["alice"].login] * 2
    assert {row["establishment_uai"] for row in rows} == {school_a.uai}
    [exported] = entries("audit.export", actor=admin)
    assert exported.establishment_id == school_a.pk
    assert exported.details == {"filters": {"action": logged["action"]}, "format": "csv"}


def test_a_cell_a_spreadsheet_would_run_is_quoted(school_a):
    audit_record(actor=None, action="=HYPERLINK(1)", establishment=school_a)
    admin = member(school_a, Role.ESTABLISHMENT_ADMIN)
    content = b"".join(client_for(admin, school_a).get("/audit/export.csv").streaming_content).decode()
    assert "'=HYPERLINK(1)" in content


def test_the_api_has_the_same_filters_and_scope(logged, school_a):
    region = client_for(operator(), None, api=True).get(f"/api/v1/audit/entries/?action={logged['action']}")
    assert region.status_code == 200
    assert sorted(e["details"]["n"] for e in region.json()["results"]) == [1, 2, 3]

    admin = member(school_a, Role.HEAD)
    own = client_for(admin, school_a, api=True).get(
        f"/api/v1/audit/entries/?action={logged['action']}&actor={logged['alice'].login}"
    )
    assert sorted(e["details"]["n"] for e in own.json()["results"]) == [1, 3]
    assert {e["establishment"] for e in own.json()["results"]} == {school_a.uai}
    bad = client_for(admin, school_a, api=True).get("/api/v1/audit/entries/?to=never")
    assert bad.status_code == 400 and "to" in bad.json()["error"]["fields"]


def test_the_page_costs_the_same_queries_for_few_or_many_entries(school_a):
    admin = member(school_a, Role.ESTABLISHMENT_ADMIN)
    client = client_for(admin, school_a)
    people = [UserFactory() for _ in range(5)]

    def add(n: int) -> None:
        for i in range(n):
            audit_record(
                actor=people[i % 5], action="probe.count", establishment=school_a, acting_as_id=people[0].pk
            )

    add(2)
    client.get("/audit/")
    with CaptureQueriesContext(connection) as few:
        client.get("/audit/")
    add(40)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/audit/")
    assert page.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_audit_entries_are_never_changed_through_the_orm(school_a):
    # (tests/test_audit.py covers every ORM path; the log pages only read.)
    entry = AuditEntry.objects.create(action="probe", establishment=school_a)
    from shared_apps.audit.models import AuditLogIsAppendOnly

    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
