"""The daily pages' SQL, with warm caches: the session, the account, the roles, the host and the
switcher cost no query; what is left is each page's own data, bounded (tests/perf/bench_pages.py
measures the same pages on the demo)."""

from __future__ import annotations

from shared_apps.identity.roles import Role
from shared_apps.identity.services import guardian_link_create, membership_grant
from tests.conftest import client_for
from tests.factories import UserFactory, member


def _warm(client, path: str) -> None:
    for _ in range(2):
        assert client.get(path).status_code == 200


def test_a_signed_in_ping_costs_no_query(school_a, django_assert_num_queries):
    client = client_for(member(school_a, Role.STUDENT), school_a)
    _warm(client, "/ping")
    with django_assert_num_queries(0):
        client.get("/ping")


def test_the_school_home_and_the_week_of_a_student(school_a, django_assert_max_num_queries):
    client = client_for(member(school_a, Role.STUDENT, class_name="4e Q"), school_a)
    _warm(client, "/")
    with django_assert_max_num_queries(4):
        client.get("/")
    _warm(client, "/timetable/")
    with django_assert_max_num_queries(8):  # 7, and the homework due each day (issue 17)
        client.get("/timetable/")


def test_the_family_view_of_a_guardian_of_two_children(school_a, school_b, django_assert_max_num_queries):
    parent = UserFactory()
    for school, class_name in ((school_a, "5e Q"), (school_b, "2nde Q")):
        membership_grant(actor=None, user=parent, establishment=school, role=Role.GUARDIAN)
        guardian_link_create(
            actor=None, guardian=parent, child=member(school, Role.STUDENT, class_name=class_name)
        )
    client = client_for(parent)
    _warm(client, "/")
    # 14, and in each school the children's published grades and current report cards (issue 16):
    # a fixed number per school, whatever the number of children (tests/perf/bench_family_view.py);
    # 16 → 18: in each school the notices to acknowledge (issue 18, one query per school).
    with django_assert_max_num_queries(18):
        client.get("/")
