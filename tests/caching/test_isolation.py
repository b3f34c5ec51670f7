"""The caches never answer one person's or one establishment's request with another's data:
their entries are keyed by the person and the establishment (and checked on the way out)."""

from __future__ import annotations

from mbn_platform.kernel.tenancy import access_load
from shared_apps.identity.caching import switcher_entries, user_cached
from shared_apps.identity.roles import Role
from shared_apps.identity.services import membership_grant
from tests.conftest import client_for
from tests.factories import UserFactory, member


def test_each_request_gets_its_own_person(school_a):
    first, second = member(school_a, Role.STUDENT), member(school_a, Role.TEACHER)
    clients = [(client_for(first, school_a), first), (client_for(second, school_a), second)]
    for _ in range(3):  # interleaved, the caches warm
        for client, person in clients:
            assert client.get("/ping").content == f"pong {person.pk}".encode()


def test_roles_are_those_of_the_establishment_of_the_request(school_a, school_b):
    person = member(school_a, Role.ESTABLISHMENT_ADMIN)
    membership_grant(actor=None, user=person, establishment=school_b, role=Role.STUDENT)
    on_a, on_b = client_for(person, school_a), client_for(person, school_b)
    for _ in range(2):
        assert on_a.get("/members/").status_code == 200
        assert on_b.get("/members/").status_code == 403
        assert "Members and roles" not in on_b.get("/").content.decode()
    assert access_load(user_id=person.pk, establishment_id=school_b.pk).roles == {Role.STUDENT}


def test_a_member_of_one_establishment_is_refused_by_the_other_even_with_warm_caches(school_a, school_b):
    person = member(school_a, Role.TEACHER)
    client = client_for(person, school_a)
    assert client.get("/").status_code == 200
    other = client_for(person, school_b)
    assert other.get("/").status_code == 403
    assert other.get("/timetable/").status_code == 403


def test_the_switcher_lists_only_the_persons_own_establishments(school_a, school_b):
    alone = member(school_a, Role.STUDENT)
    both = member(school_b, Role.TEACHER)
    membership_grant(actor=None, user=both, establishment=school_a, role=Role.GUARDIAN)
    assert {e.establishment_id for e in switcher_entries(user_id=both.pk)} == {school_a.pk, school_b.pk}
    assert [e.establishment_id for e in switcher_entries(user_id=alone.pk)] == [school_a.pk]
    page = client_for(alone, school_a).get("/").content.decode()
    assert school_b.name not in page


def test_cached_accounts_are_copies_per_request(db):
    person = UserFactory(first_name="Anne")
    copy_one = user_cached(person.pk)
    assert copy_one is not None and copy_one.pk == person.pk
    copy_one.first_name = "Changed in one request"
    copy_two = user_cached(person.pk)
    assert copy_two is not None and copy_two.first_name == "Anne"
    assert user_cached(person.pk + 10_000_000) is None


def test_per_establishment_values_stay_in_their_schema(school_a, school_b):
    """The tenant-prefixed cache (django_tenants.cache.make_key): the same key in two schemas."""
    from django_tenants.utils import schema_context

    from mbn_platform.kernel.tenant_cache import tenant_cache_forget, tenant_cached

    with schema_context(school_a.schema_name):
        assert tenant_cached("test:value", lambda: "alpha", timeout=60) == "alpha"
    with schema_context(school_b.schema_name):
        assert tenant_cached("test:value", lambda: "beta", timeout=60) == "beta"
        tenant_cache_forget("test:value")
    with schema_context(school_a.schema_name):
        assert tenant_cached("test:value", lambda: "changed", timeout=60) == "alpha"
    with schema_context(school_b.schema_name):
        assert tenant_cached("test:value", lambda: "again", timeout=60) == "again"
