"""Writing a plan (``planning.py``) to the database, in bulk, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.contrib.auth.hashers import make_password
from django_tenants.utils import schema_context

from mbn_platform.kernel.generations import users_changed
from shared_apps.directory.logins import logins_allocate
from shared_apps.directory.models import DirectoryRecord
from shared_apps.directory.parsers.model import STUDENT
from shared_apps.directory.plan import Plan
from shared_apps.directory.structure_planning import structure_writes
from shared_apps.directory.structure_store import structure_store
from shared_apps.identity.models import User
from shared_apps.identity.services import guardian_links_bulk_apply, members_bulk_sync, memberships_bulk_apply
from tenants.models import Establishment

BATCH = 1000


def plan_apply(*, establishment: Establishment, plan: Plan, progress: Callable[[int], None]) -> None:
    people = [p for p in plan.people if p.action != "conflict"]
    created = [p for p in people if p.action == "created"]
    users = [
        User(
            login=login,
            first_name=p.row.first_name,
            last_name=p.row.last_name,
            email=p.email,
            national_id=p.row.national_id,
            password=make_password(None),  # unusable until the person activates their account
        )
        for p, login in zip(
            created, logins_allocate([(p.row.first_name, p.row.last_name) for p in created]), strict=True
        )
    ]
    User.objects.bulk_create(users, batch_size=BATCH)
    for person, user in zip(created, users, strict=True):
        person.user_id = user.pk
    progress(len(created))

    changed = {p.user_id: p.user_changes for p in people if p.user_changes and p.user_id}
    if changed:
        accounts = User.objects.in_bulk(list(changed))
        for user_id, changes in changed.items():
            for name, value in changes.items():
                setattr(accounts[user_id], name, value)
        fields = sorted({name for changes in changed.values() for name in changes})
        User.objects.bulk_update(list(accounts.values()), fields, batch_size=BATCH)
        users_changed(accounts)  # no signal for a bulk update: the cached accounts are forgotten
    _records_write(establishment, plan)
    progress(len(people) // 2)

    memberships_bulk_apply(
        establishment=establishment,
        grants=[(p.user_id, role) for p in people if p.user_id for role in p.grant],
        ends=[(p.user_id, role) for p in people if p.user_id for role in p.end]
        + [(d.user_id, d.role) for d in plan.departures],
    )
    members_bulk_sync(
        establishment=establishment,
        user_ids={p.user_id for p in people if p.user_id} | {d.user_id for d in plan.departures},
        class_names={p.user_id: p.row.class_name for p in people if p.user_id and p.row.family == STUDENT},
    )
    progress(len(plan.people))

    guardian_links_bulk_apply(
        upserts=[
            (link.guardian.user_id, link.student.user_id, link.level, link.can_act)
            for link in plan.links
            if link.action != "unchanged" and link.guardian.user_id and link.student.user_id
        ],
        removals=plan.link_removals,
    )
    progress(len(plan.people) + len(plan.links))

    if plan.structure.active:  # after the people: new students and teachers have their member rows
        with schema_context(establishment.schema_name):
            structure_store().write(writes=structure_writes(plan))
    progress(plan.total)


def _records_write(establishment: Establishment, plan: Plan) -> None:
    writes = [p for p in plan.people if p.record_write and p.user_id is not None and p.action != "conflict"]
    if not writes:
        return
    # Free the export ids about to be (re)assigned, so that two people may swap them.
    by_family: dict[str, set[str]] = {}
    for person in writes:
        by_family.setdefault(person.row.family, set()).add(person.row.source_id)
    for family, source_ids in by_family.items():
        DirectoryRecord.objects.filter(
            establishment=establishment, family=family, source_id__in=source_ids
        ).update(source_id="")

    def birth(person_birth: str) -> date | None:
        return date.fromisoformat(person_birth) if person_birth else None

    DirectoryRecord.objects.bulk_update(
        [
            DirectoryRecord(pk=p.record_id, source_id=p.row.source_id, birth_date=birth(p.record_birth))
            for p in writes
            if p.record_id
        ],
        ["source_id", "birth_date"],
        batch_size=BATCH,
    )
    DirectoryRecord.objects.bulk_create(
        [
            DirectoryRecord(
                establishment=establishment,
                user_id=p.user_id or 0,
                family=p.row.family,
                source_id=p.row.source_id,
                birth_date=birth(p.record_birth),
            )
            for p in writes
            if not p.record_id
        ],
        batch_size=BATCH,
    )
