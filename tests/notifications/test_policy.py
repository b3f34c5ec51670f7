"""The establishment's notification policy: which types are urgent here (leaders set it, staff
read it, others may not; another school's policy is its own)."""

from __future__ import annotations

from django_tenants.utils import schema_context

from shared_apps.audit.models import AuditEntry
from shared_apps.identity.roles import Role
from tenant_apps.notifications.models import Notification
from tests.conftest import client_for
from tests.factories import member
from tests.notifications.helpers import tell

API = "/api/v1/notifications/policy/"


def test_the_head_sets_the_urgent_types_and_notify_follows(school_a, school_b):
    head = member(school_a, Role.HEAD)
    client = client_for(head, school_a, api=True)
    assert client.get(API).json() == {"urgent_types": ["absence"]}
    changed = client.put(API, {"urgent_types": ["homework", "absence"]}, format="json")
    assert changed.status_code == 200 and changed.json() == {"urgent_types": ["absence", "homework"]}
    assert AuditEntry.objects.filter(action="notifications.policy_updated", establishment=school_a).exists()
    tell(school_a, [head.pk], type_="homework")
    with schema_context(school_a.schema_name):
        assert Notification.objects.get(type="homework").urgent
    other = client_for(member(school_b, Role.HEAD), school_b, api=True)
    assert other.get(API).json() == {"urgent_types": ["absence"]}  # its own


def test_who_may_read_and_set_the_policy(school_a):
    teacher = client_for(member(school_a, Role.TEACHER), school_a, api=True)
    assert teacher.get(API).status_code == 200
    assert teacher.put(API, {"urgent_types": []}, format="json").status_code == 403
    assert client_for(member(school_a, Role.GUARDIAN), school_a, api=True).get(API).status_code == 403
    head = client_for(member(school_a, Role.HEAD), school_a, api=True)
    bad = head.put(API, {"urgent_types": ["weather"]}, format="json")
    assert bad.status_code == 400 and "urgent_types" in bad.json()["error"]["fields"]
    assert head.put(API, {}, format="json").status_code == 400
