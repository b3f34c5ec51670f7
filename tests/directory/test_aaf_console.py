"""The operators' console for the académies' feeds: configure one, its files and runs, the report
per establishment, the pause switch (audited); only region operators."""

from __future__ import annotations

from typing import Any

import pytest

from shared_apps.audit.models import AuditEntry
from shared_apps.directory.aaf.runs import aaf_feed_run
from shared_apps.directory.models import AafFeed
from shared_apps.identity.models import RegionRoleAssignment
from shared_apps.identity.roles import RegionRole, Role
from tests.conftest import client_for
from tests.directory.aaf_data import Agent, Etab, Pupil, Relative, complete_set, drop
from tests.factories import UserFactory, member


@pytest.fixture
def operator(db: None) -> Any:
    user = UserFactory()
    RegionRoleAssignment.objects.create(user=user, role=RegionRole.REGION_OPERATOR)
    return user


def test_an_operator_configures_a_feed_reads_its_report_and_pauses_it(operator, settings, tmp_path, school_a):
    settings.AAF_FEEDS_ROOT = tmp_path
    console = client_for(operator)
    assert "Strasbourg" in console.get("/console/feeds/").content.decode()

    bad = console.post("/console/feeds/", {"academie": "Strasbourg", "location": "../../etc"})
    assert bad.status_code == 400 and 'aria-invalid="true"' in bad.content.decode()
    created = console.post("/console/feeds/", {"academie": "Strasbourg", "location": "strasbourg"})
    feed = AafFeed.objects.get(academie="Strasbourg")
    assert created.status_code == 302 and created["Location"] == f"/console/feeds/{feed.pk}/"

    drop(
        tmp_path / "strasbourg",
        complete_set(
            "20250901",
            [Etab("E-A", school_a.uai, "Collège Alpha")],
            [
                Pupil("S1", "Blanc", "Ilan", "E-A", "5A", ine="300000001AA", relations=["R1$1$0$1$0$0"]),
                Pupil("S2", "Blanc", "", "E-A", "5A"),
            ],
            [Relative("R1", "Blanc", "Nora")],
            [Agent("T1", "Vert", "Max", [("E-A", "ENS")])],
        ),
    )
    [run] = aaf_feed_run(feed_id=feed.pk)
    page = console.get(f"/console/feeds/{feed.pk}/").content.decode()
    assert "ENT2025_Complet_20250901_Eleve_0001.xml" in page and f"/console/feeds/runs/{run.pk}/" in page
    report = console.get(f"/console/feeds/runs/{run.pk}/").content.decode()
    assert "Collège Alpha" in report and "givenName" in report  # S2 has no first name: skipped, listed

    paused = console.post(f"/console/feeds/{feed.pk}/", {"action": "pause"})
    feed.refresh_from_db()
    assert paused.status_code == 302 and feed.paused
    assert "This feed is paused" in console.get(f"/console/feeds/{feed.pk}/").content.decode()
    entry = AuditEntry.objects.get(action="directory.feed_paused")
    assert (entry.actor_id, entry.target_id) == (operator.pk, str(feed.pk))
    console.post(f"/console/feeds/{feed.pk}/", {"action": "resume"})
    feed.refresh_from_db()
    assert not feed.paused


def test_only_region_operators_use_the_feeds_console(school_a):
    agent = UserFactory()
    RegionRoleAssignment.objects.create(user=agent, role=RegionRole.SUPPORT)
    teacher = member(school_a, Role.TEACHER)
    assert client_for(agent).get("/console/feeds/").status_code == 403
    assert client_for(teacher).get("/console/feeds/").status_code == 403
    assert client_for(None).get("/console/feeds/").status_code in (302, 401, 403)
    assert client_for(teacher, school_a).get("/console/feeds/").status_code == 404  # not on a school's host
