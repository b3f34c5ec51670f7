"""The default communication rules, every cell: staff write to anyone; a student to their teachers,
school life and their own guardians, not to other students, other students' guardians, other
teachers or the leadership; a guardian to their children, their children's teachers, school life,
the head and the administration, not to other guardians or other classes' teachers. A refusal is
a 400 naming who may not be written to. The leadership changes the rules (audited)."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from mbn_platform.kernel.errors import PermissionDenied, ValidationFailed
from shared_apps.audit.models import AuditEntry
from shared_apps.identity.roles import STAFF_ROLES, Role
from tenant_apps.messaging import services
from tests.conftest import client_for
from tests.messaging.conftest import People, start

STAFF = sorted(STAFF_ROLES)


def targets(people: People) -> dict[str, object]:
    """Every kind of recipient: each role's person, and the unrelated ones."""
    return {
        **people.by_role,
        "other_student": people.other_student,
        "other_guardian": people.other_guardian,
        "other_teacher": people.other_teacher,
    }


ALLOWED = {
    Role.STUDENT: {Role.TEACHER, Role.SCHOOL_LIFE, Role.GUARDIAN},
    Role.GUARDIAN: {Role.STUDENT, Role.TEACHER, Role.SCHOOL_LIFE, Role.HEAD, Role.ADMIN_STAFF},
    **{role: {*Role.values, "other_student", "other_guardian", "other_teacher"} for role in STAFF},
}


@pytest.mark.parametrize("sender_role", [Role.STUDENT, Role.GUARDIAN, *STAFF])
def test_every_default_rule(people: People, sender_role: str):
    sender = people.by_role[sender_role]
    with schema_context(people.school.establishment.schema_name):
        for name, recipient in targets(people).items():
            if recipient == sender:
                continue
            allowed = name in ALLOWED[sender_role]
            try:
                services.recipients_check(people.m(sender), [people.m(recipient)])
                refused = None
            except ValidationFailed as error:
                refused = error
            assert (refused is None) == allowed, (sender_role, name)
            if refused is not None:
                assert "communication rules" in refused.message
                assert people.m(recipient).display_name in refused.fields["recipients"][0]


def test_a_guardian_writes_to_their_child_s_teacher_not_to_another_class_s(people: People):
    guardian = client_for(people.by_role[Role.GUARDIAN], people.school.establishment, api=True)
    body = {"subject": "Absence", "body": "Léa sera absente lundi."}
    ok = guardian.post(
        "/api/v1/messages/threads/",
        {**body, "recipient_ids": [people.by_role[Role.TEACHER].pk]},
        format="json",
    )
    assert ok.status_code == 201, ok.content
    refused = guardian.post(
        "/api/v1/messages/threads/", {**body, "recipient_ids": [people.other_teacher.pk]}, format="json"
    )
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["code"] == "invalid" and "communication rules" in error["message"]
    assert "recipients" in error["fields"]
    recipients = guardian.get("/api/v1/messages/recipients/").json()["results"]
    ids = {r["user_id"] for r in recipients}
    assert people.by_role[Role.TEACHER].pk in ids and people.other_teacher.pk not in ids


def test_only_staff_write_to_groups(people: People):
    from tenant_apps.messaging.audiences import Audience

    with schema_context(people.school.establishment.schema_name):
        audience = Audience("guardians", people.school.school_class)
        with pytest.raises(PermissionDenied):
            services.thread_start(
                actor=people.by_role[Role.GUARDIAN], subject="x", body="y", audiences=[audience]
            )


def test_the_head_changes_the_rules_and_it_is_audited(people: People):
    head = client_for(people.by_role[Role.HEAD], people.school.establishment, api=True)
    cell = {"sender_role": "student", "recipient_role": "student", "reach": "all"}
    teacher = client_for(people.by_role[Role.TEACHER], people.school.establishment, api=True)
    assert teacher.put("/api/v1/messages/rules/", {"rules": [cell]}, format="json").status_code == 403
    bad = head.put("/api/v1/messages/rules/", {"rules": [{**cell, "reach": "maybe"}]}, format="json")
    assert bad.status_code == 400
    assert head.put("/api/v1/messages/rules/", {"rules": [cell]}, format="json").status_code == 200
    entry = AuditEntry.objects.get(action="messaging.rules_changed")
    assert entry.details == {"student→student": {"from": "none", "to": "all"}}
    start(people, people.by_role[Role.STUDENT], [people.other_student])  # now allowed
    page = client_for(people.by_role[Role.HEAD], people.school.establishment)
    assert page.get("/messages/rules/").status_code == 200
    assert page.post("/messages/rules/", {"student__student": "none"}).status_code == 302
    with pytest.raises(ValidationFailed):
        start(people, people.by_role[Role.STUDENT], [people.other_student])
    assert (
        client_for(people.by_role[Role.TEACHER], people.school.establishment)
        .get("/messages/rules/")
        .status_code
        == 403
    )
