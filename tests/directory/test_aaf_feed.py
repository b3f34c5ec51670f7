"""The académie's AAF feed: a complete set then deltas (add, modify, delete) for two
establishments, planned and applied per establishment with the school import's planner."""

from __future__ import annotations

from typing import Any

import pytest
from django_tenants.utils import schema_context

from shared_apps.audit.models import AuditEntry
from shared_apps.directory.aaf.feeds import aaf_feed_create
from shared_apps.directory.aaf.runs import aaf_feed_run
from shared_apps.directory.models import DirectoryRecord, FeedRunStatus, ImportStatus
from shared_apps.identity.models import GuardianLink, Membership, MembershipStatus, User
from shared_apps.identity.roles import Role
from tenant_apps.school.models import Member
from tenant_apps.structure.models import TeachingAssignment
from tests.conftest import SESSION_SCHOOLS
from tests.directory.aaf_data import (
    Agent,
    Etab,
    Pupil,
    Relative,
    complete_set,
    delete,
    delta_set,
    drop,
    modify,
    pupil_request,
)
from tests.directory.helpers import snapshot


@pytest.fixture
def feed(settings: Any, tmp_path, school_a, school_b):
    settings.AAF_FEEDS_ROOT = tmp_path
    return aaf_feed_create(actor=None, academie="Strasbourg", location="strasbourg")


def region(school_a, school_b):
    etabs = [Etab("E-A", school_a.uai, "Collège Alpha", ["4e B"]), Etab("E-B", school_b.uai, "Lycée Bêta")]
    pupils = [
        Pupil("S1", "Martin", "Léa", "E-A", "4e B", ine="100000001AA", relations=["R1$1$0$1$0$0"]),
        Pupil(
            "S2",
            "Bernard",
            "Hugo",
            "E-A",
            "4e B",
            ine="100000002AA",
            relations=["R2$1$0$1$0$0", "R3$90$1$0$0$1"],
        ),
        Pupil("S3", "Petit", "Chloé", "E-B", "2de 1", ine="100000003AA", relations=["R3$1$0$2$0$0"]),
    ]
    relatives = [
        Relative("R1", "Martin", "Sophie", "sophie@example.org"),
        Relative("R2", "Bernard", "Marc"),
        Relative("R3", "Petit", "Anne"),
    ]
    agents = [
        Agent(
            "T1",
            "Durand",
            "Claire",
            [("E-A", "ENS"), ("E-B", "ENS")],
            [("E-A", "4e B", "061300"), ("E-B", "2de 1", "061300")],
        ),
        Agent("T2", "Roux", "Paul", [("E-B", "DIR")]),
        Agent("T3", "Noir", "Jean", [("E-A", "OUV")]),  # a function no account is for
    ]
    return etabs, pupils, relatives, agents


def roles(user: User, school) -> dict[str, str]:
    return dict(Membership.objects.filter(user=user, establishment=school).values_list("role", "status"))


def _person(**name: str) -> User:
    """One person of the session's two schools by name (the demo has namesakes of its own)."""
    return (
        User.objects.filter(
            memberships__establishment__uai__in=[uai for uai, *_ in SESSION_SCHOOLS.values()], **name
        )
        .distinct()
        .get()
    )


def test_a_complete_set_then_deltas_for_two_establishments(feed, tmp_path, school_a, school_b):
    etabs, pupils, relatives, agents = region(school_a, school_b)
    drop(
        tmp_path / "strasbourg",
        complete_set("20250901", etabs, pupils, relatives, agents, {"061300": "MATHEMATIQUES"}),
    )

    [run] = aaf_feed_run(feed_id=feed.pk)

    assert run.status == FeedRunStatus.APPLIED, (run.errors, run.notes)
    assert run.counts["establishments"] == 2 and run.counts["created"] == 8 and run.counts["linked"] == 2
    reports = {imp.establishment_id: imp for imp in run.imports.all()}
    assert reports[school_a.pk].status == reports[school_b.pk].status == ImportStatus.APPLIED
    assert reports[school_a.pk].counts["created"] == 6  # Léa, Hugo, Sophie, Marc, Anne, Claire
    léa = User.objects.get(national_id="100000001AA")
    claire = _person(last_name="Durand")
    anne = _person(first_name="Anne")
    assert roles(claire, school_a) == roles(claire, school_b) == {Role.TEACHER: MembershipStatus.ACTIVE}
    assert roles(_person(last_name="Roux"), school_b) == {Role.HEAD: MembershipStatus.ACTIVE}
    assert not User.objects.filter(last_name="Noir").exists()
    # Anne: a contact paying for Hugo in A, a legal guardian of Chloé in B.
    assert {
        (link.child.first_name, link.responsibility_level, link.can_act)
        for link in GuardianLink.objects.filter(guardian=anne).select_related("child")
    } == {
        ("Hugo", 2, False),
        ("Chloé", 1, True),
    }
    with schema_context(school_a.schema_name):
        assert Member.objects.get(user_id=léa.pk).school_class.name == "4e B"
        assert (
            TeachingAssignment.objects.filter(teacher__user_id=claire.pk, subject__code="061300").count() == 1
        )
    assert aaf_feed_run(feed_id=feed.pk) == []  # nothing new

    # A delta: a new pupil in B, Léa renamed, Paul leaves, Hugo moves to B.
    drop(
        tmp_path / "strasbourg",
        delta_set(
            "20250915",
            {
                "Eleve": [
                    pupil_request(
                        Pupil(
                            "S4",
                            "Faure",
                            "Jade",
                            "E-B",
                            "2de 1",
                            ine="100000004AA",
                            relations=["R3$1$0$1$0$0"],
                        )
                    ),
                    modify("Eleve", "S1", [("givenName", "Léane")]),
                    modify(
                        "Eleve", "S2", [("ENTEleveStructRattachId", "E-B"), ("ENTEleveClasses", "E-B$2de 1")]
                    ),
                ],
                "PersEducNat": [delete("PersEducNat", "T2")],
            },
        ),
    )

    [delta] = aaf_feed_run(feed_id=feed.pk)

    assert delta.status == FeedRunStatus.APPLIED, (delta.errors, delta.notes)
    léa.refresh_from_db()
    hugo = User.objects.get(national_id="100000002AA")
    assert léa.first_name == "Léane"
    assert roles(hugo, school_a) == {Role.STUDENT: MembershipStatus.DEPARTED}
    assert roles(hugo, school_b) == {Role.STUDENT: MembershipStatus.ACTIVE}
    assert roles(_person(last_name="Roux"), school_b) == {Role.HEAD: MembershipStatus.DEPARTED}
    assert roles(User.objects.get(national_id="100000004AA"), school_b) == {
        Role.STUDENT: MembershipStatus.ACTIVE
    }
    # Nobody else changed: Claire, Sophie and Chloé are untouched by the delta.
    assert roles(claire, school_a) == {Role.TEACHER: MembershipStatus.ACTIVE}
    assert roles(_person(first_name="Sophie"), school_a) == {Role.GUARDIAN: MembershipStatus.ACTIVE}
    assert AuditEntry.objects.filter(action="directory.feed_run_applied").count() == 2


def test_a_complete_set_omitting_people_departs_them_and_a_truncated_one_changes_nothing(
    feed, tmp_path, school_a, school_b
):
    etabs, pupils, relatives, agents = region(school_a, school_b)
    folder = tmp_path / "strasbourg"
    drop(folder, complete_set("20250901", etabs, pupils, relatives, agents, {"061300": "MATHEMATIQUES"}))
    aaf_feed_run(feed_id=feed.pk)
    léa = User.objects.get(national_id="100000001AA")
    before = (snapshot(school_a), snapshot(school_b))

    truncated = complete_set("20251001", etabs, pupils[1:], relatives, agents, {"061300": "MATHEMATIQUES"})
    name = next(n for n in truncated if "_Eleve_" in n)
    truncated[name] = truncated[name][: len(truncated[name]) // 2]
    drop(folder, truncated)
    [refused] = aaf_feed_run(feed_id=feed.pk)

    assert refused.status == FeedRunStatus.REFUSED and refused.errors[0]["file"] == name
    assert (snapshot(school_a), snapshot(school_b)) == before
    assert not refused.imports.exists()
    assert aaf_feed_run(feed_id=feed.pk) == []  # the same files are not read again

    drop(folder, complete_set("20251002", etabs, pupils[1:], relatives, agents, {"061300": "MATHEMATIQUES"}))
    [complete] = aaf_feed_run(feed_id=feed.pk)

    assert complete.status == FeedRunStatus.APPLIED
    assert roles(léa, school_a) == {Role.STUDENT: MembershipStatus.DEPARTED}
    assert User.objects.filter(pk=léa.pk).exists()  # departed, never deleted
    assert DirectoryRecord.objects.filter(user=léa, establishment=school_a).exists()
    # Sophie, only Léa's guardian, departs too; Hugo's family stays.
    assert roles(_person(first_name="Sophie"), school_a) == {Role.GUARDIAN: MembershipStatus.DEPARTED}
    assert roles(_person(first_name="Marc"), school_a) == {Role.GUARDIAN: MembershipStatus.ACTIVE}


def test_a_partial_complete_set_changes_nothing(feed, tmp_path, school_a, school_b):
    etabs, pupils, relatives, agents = region(school_a, school_b)
    files = complete_set("20250901", etabs, pupils, relatives, agents)
    del files[next(n for n in files if "_PersRelEleve_" in n)]
    drop(tmp_path / "strasbourg", files)
    users_before = User.objects.count()

    [run] = aaf_feed_run(feed_id=feed.pk)

    assert run.status == FeedRunStatus.REFUSED
    assert "PersRelEleve" in run.errors[0]["message"]
    assert User.objects.count() == users_before


def test_a_school_does_not_apply_an_import_of_the_academie_s_feed_itself(feed, school_a):
    from mbn_platform.kernel.errors import Conflict
    from shared_apps.directory.models import AafRun, DirectoryImport
    from shared_apps.directory.services import directory_import_apply

    run = AafRun.objects.create(feed=feed, stamp="20250901", mode="complete", status=FeedRunStatus.APPLYING)
    pending = DirectoryImport.objects.create(
        establishment=school_a, feed_run=run, status=ImportStatus.PREVIEWED, content={"uais": [school_a.uai]}
    )

    with pytest.raises(Conflict):
        directory_import_apply(actor=None, directory_import=pending)
    pending.refresh_from_db()
    assert pending.status == ImportStatus.PREVIEWED
