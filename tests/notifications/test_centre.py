"""The notification centre: one across schools, each entry labelled with its school; a person
never sees or marks another's (404); bounded queries."""

from __future__ import annotations

from django_tenants.utils import schema_context

from shared_apps.identity.roles import Role
from shared_apps.identity.services import guardian_link_create, membership_grant
from tenant_apps.notifications.models import NotificationRecipient
from tests.conftest import client_for
from tests.factories import member
from tests.notifications.helpers import tell


def _family(school_a, school_b):
    parent = member(school_a, Role.GUARDIAN, email="parent@example.org")
    membership_grant(actor=None, user=parent, establishment=school_b, role=Role.GUARDIAN)
    lea = member(school_a, Role.STUDENT, first_name="Léa")
    tom = member(school_b, Role.STUDENT, first_name="Tom")
    guardian_link_create(actor=None, guardian=parent, child=lea)
    guardian_link_create(actor=None, guardian=parent, child=tom)
    return parent, lea, tom


def test_a_guardian_of_children_in_two_schools_sees_both_schools_events_in_one_centre(school_a, school_b):
    parent, _lea, _tom = _family(school_a, school_b)
    tell(school_a, [parent.pk], title="Léa absent this morning")
    tell(school_b, [parent.pk], type_="lesson_change", title="Tom: maths moved", link="/timetable/")
    for host in (None, school_a):  # the portal, and any school's host
        api = client_for(parent, host, api=True).get("/api/v1/notifications/")
        assert api.status_code == 200
        body = api.json()
        assert body["unread"] == 2
        assert {(e["school"], e["title"]) for e in body["results"]} == {
            ("Collège Alpha", "Léa absent this morning"),
            ("Lycée Bêta", "Tom: maths moved"),
        }
        tom_entry = next(e for e in body["results"] if e["school"] == "Lycée Bêta")
        assert tom_entry["url"] == "http://beta.localhost/timetable/"
    page = client_for(parent).get("/notifications/").content.decode()
    assert "Léa absent this morning" in page and "Tom: maths moved" in page
    assert "Collège Alpha" in page and "Lycée Bêta" in page
    home = client_for(parent, school_a).get("/").content.decode()
    assert "2 unread" in home  # the header's count, on a school's host too


def test_mark_read_and_all_read(school_a, school_b):
    parent, _lea, _tom = _family(school_a, school_b)
    tell(school_a, [parent.pk])
    tell(school_b, [parent.pk])
    client = client_for(parent, api=True)
    [first, _second] = client.get("/api/v1/notifications/").json()["results"]
    assert client.post(f"/api/v1/notifications/{first['id']}/read/").status_code == 200
    assert client.get("/api/v1/notifications/").json()["unread"] == 1
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    assert client.get("/api/v1/notifications/?unread=1").json() == {"unread": 0, "results": []}
    page = client_for(parent)
    assert page.post(f"/notifications/{first['id']}/read/").status_code == 302


def test_a_person_never_sees_or_marks_another_persons_notifications(school_a, school_b):
    parent, lea, _tom = _family(school_a, school_b)
    tell(school_a, [parent.pk], title="For the parent only")
    with schema_context(school_a.schema_name):
        entry = NotificationRecipient.objects.get(user_id=parent.pk)
    key = f"{school_a.pk}-{entry.pk}"
    other = client_for(lea, school_a, api=True)
    assert other.get("/api/v1/notifications/").json() == {"unread": 0, "results": []}
    assert other.post(f"/api/v1/notifications/{key}/read/").status_code == 404
    # An establishment the person does not belong to, a malformed key: 404 as well.
    outsider = member(school_b, Role.TEACHER)
    assert client_for(outsider, api=True).post(f"/api/v1/notifications/{key}/read/").status_code == 404
    assert other.post("/api/v1/notifications/abc/read/").status_code == 404
    assert client_for(lea, school_a).post(f"/notifications/{key}/read/").status_code == 404
    with schema_context(school_a.schema_name):
        assert NotificationRecipient.objects.get(pk=entry.pk).read_at is None


def test_the_centre_reads_one_query_per_school(school_a, school_b, django_assert_max_num_queries):
    parent, _lea, _tom = _family(school_a, school_b)
    for n in range(30):
        tell(school_a, [parent.pk], title=f"A{n}")
        tell(school_b, [parent.pk], title=f"B{n}")
    client = client_for(parent, api=True)
    client.get("/api/v1/notifications/")  # warm the session and access caches
    with django_assert_max_num_queries(16):
        assert len(client.get("/api/v1/notifications/").json()["results"]) == 50


def test_anonymous_callers_are_refused(school_a):
    assert client_for(None, api=True).get("/api/v1/notifications/").status_code in {401, 403}
