"""What an import would change: each exported person matched to an account, and the diff.

Both the preview and the apply build the plan from the current database (a handful of bulk
queries, whatever the size), so applying an old preview still does the right thing, and applying
the same content twice changes nothing the second time.

Matching, for a person of a family (students, guardians, staff) in establishment E:
1. the national id (region-wide: a student moving school keeps their account);
2. the export's own id, remembered from a previous import of E (``DirectoryRecord``), or, for an
   académie's AAF id (the same in all its establishments), from any establishment;
3. a member of E of that family with the same names and the same birth date (or e-mail);
4. an account with the same e-mail address and the same names (a guardian known elsewhere).
Unmatched people are created, unless an account elsewhere in the region has the same names and
birth date: that is a probable duplicate, reported as a conflict and skipped.

A row the parsers skipped never departs its person: whoever it names (by its export id, national
id or names) is protected, and so are the guardian links of skipped link rows. A delta
(``Directory.delta``, an AAF delta file) changes only the people it lists: nobody departs for
being absent, only the people it names as departed; the links, groups and teaching assignments it
rewrites are those of the people it lists.

The school's structure the files carry (subjects, groups, teaching assignments) is planned by
``structure_planning.py``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from shared_apps.directory.models import DirectoryRecord
from shared_apps.directory.parsers.model import (
    ASSIGNMENT,
    FAMILY_ROLES,
    GUARDIAN,
    LINK,
    PERSON,
    STAFF,
    STUDENT,
    Directory,
    PersonRow,
    name_key,
)
from shared_apps.directory.plan import Departure, LinkPlan, PersonPlan, Plan
from shared_apps.directory.planning_state import ImportState
from shared_apps.directory.structure_planning import structure_plan_build
from shared_apps.identity.models import GuardianLink, MembershipStatus
from tenants.models import Establishment


def plan_build(*, establishment: Establishment, directory: Directory) -> Plan:
    state = ImportState(establishment, directory)
    plan = Plan(people=[], links=[], link_removals=[], departures=[], notes=[])
    claimed: dict[tuple[str, int], PersonPlan] = {}
    protected: set[int] = _skipped_people(state, directory)
    unmatched: list[PersonPlan] = []
    for row in directory.people:
        person = PersonPlan(row=row)
        plan.people.append(person)
        user_id = _match(state, person, protected)
        if person.action == "conflict":
            continue
        if user_id is not None and (row.family, user_id) in claimed:
            other = claimed[(row.family, user_id)].row
            _conflict(person, f"The same person as line {other.line} of {other.file}.")
            protected.add(user_id)
            continue
        if user_id is None:
            unmatched.append(person)
            continue
        claimed[(row.family, user_id)] = person
        _diff_existing(state, person, user_id)
    _decide_unmatched(state, unmatched, claimed, protected)
    _plan_links(state, directory, plan)
    _plan_departures(state, directory, plan, claimed, protected)
    structure_plan_build(state, directory, plan, protected)
    return plan


def _skipped_people(state: ImportState, directory: Directory) -> set[int]:
    """The accounts the skipped rows name: they keep what they have (roles, links, groups)."""
    found: set[int] = set()
    for skipped in directory.skipped:
        if skipped.what not in (PERSON, ASSIGNMENT):
            continue
        family = skipped.family or STAFF
        rec = state.records.get((family, skipped.source_id)) if skipped.source_id else None
        if rec is not None:
            found.add(int(rec["user_id"]))
        elif skipped.national_id and skipped.national_id in state.by_national_id:
            found.add(state.by_national_id[skipped.national_id])
        elif skipped.what == PERSON and skipped.last_name and skipped.first_name:
            key = (name_key(skipped.last_name), name_key(skipped.first_name))
            found.update(state.by_names.get((family, key), []))
    return found


def _conflict(person: PersonPlan, detail: str) -> None:
    person.action, person.detail = "conflict", detail


def _match(state: ImportState, person: PersonPlan, protected: set[int]) -> int | None:
    row = person.row
    if row.national_id and row.national_id in state.by_national_id:
        return state.by_national_id[row.national_id]
    rec = state.records.get((row.family, row.source_id))
    known = int(rec["user_id"]) if rec is not None else state.scoped_records.get((row.family, row.source_id))
    if known is not None:
        account = state.accounts.get(known)
        if account and row.national_id and account.national_id and account.national_id != row.national_id:
            protected.add(known)
            _conflict(person, "The export's id is known with another national identifier.")
            return None
        return known
    key = (name_key(row.last_name), name_key(row.first_name))
    candidates = []
    for user_id in state.by_names.get((row.family, key), []):
        account = state.accounts[user_id]
        if row.national_id and account.national_id:
            continue  # different national ids (the same one matched above): different people
        if (row.birth_date and row.birth_date == state.birth_date(row.family, user_id)) or (
            row.email and row.email.lower() == account.email.lower()
        ):
            candidates.append(user_id)
    if len(candidates) == 1:
        return candidates[0]
    if len(candidates) > 1:
        protected.update(candidates)
        _conflict(person, "Several members of the establishment have these names and birth date.")
    return None


def _diff_existing(state: ImportState, person: PersonPlan, user_id: int) -> None:
    row, account = person.row, state.accounts[user_id]
    person.user_id = user_id
    if row.first_name != account.first_name:
        person.user_changes["first_name"] = row.first_name
    if row.last_name != account.last_name:
        person.user_changes["last_name"] = row.last_name
    if row.email and row.email.lower() != account.email.lower():
        owner = state.by_email.get(row.email.lower())
        if owner is None or owner == user_id:
            person.user_changes["email"] = row.email
            state.by_email[row.email.lower()] = user_id
        else:
            person.detail = "E-mail address used by another account: left out."
    if row.national_id and not account.national_id:
        person.user_changes["national_id"] = row.national_id
    roles_here = state.memberships.get(user_id, {})
    family_roles = FAMILY_ROLES[row.family]
    active = {role for role, status in roles_here.items() if role in family_roles and status == "active"}
    wanted = set(row.roles) if row.family == STAFF else set(family_roles)
    person.grant = sorted(wanted - active)
    person.end = sorted(active - wanted)
    rec = state.records_by_user.get((row.family, user_id))
    person.record_id = rec["pk"] if rec else None
    person.record_birth = row.birth_date or state.birth_date(row.family, user_id)
    person.record_write = (
        rec is None
        or rec["source_id"] != row.source_id
        or state.birth_date(row.family, user_id) != person.record_birth
    )
    class_changed = row.family == STUDENT and state.member_class.get(user_id, "") != row.class_name
    if not (family_roles & roles_here.keys()):
        person.action = "linked"
        person.detail = person.detail or "Known in the region: linked, not duplicated."
    elif person.user_changes or person.grant or person.end or person.record_write or class_changed:
        person.action = "updated"
        person.detail = person.detail or ", ".join(
            [
                *person.user_changes,
                *(["class"] if class_changed else []),
                *(["roles"] if person.grant or person.end else []),
            ]
        )
    else:
        person.action = "unchanged"


def _decide_unmatched(
    state: ImportState,
    unmatched: list[PersonPlan],
    claimed: dict[tuple[str, int], PersonPlan],
    protected: set[int],
) -> None:
    dates = {p.row.birth_date for p in unmatched if p.row.birth_date}
    elsewhere: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    if dates:
        for user_id, birth, first, last in (
            DirectoryRecord.objects.filter(birth_date__in=dates)
            .exclude(establishment=state.establishment)
            .values_list("user_id", "birth_date", "user__first_name", "user__last_name")
        ):
            if birth is not None:
                elsewhere[(name_key(last), name_key(first), birth.isoformat())].add(user_id)
    for person in unmatched:
        row = person.row
        names = (name_key(row.last_name), name_key(row.first_name))
        owner = state.by_email.get(row.email.lower()) if row.email else None
        if owner is not None and owner in state.accounts:
            account = state.accounts[owner]
            if (name_key(account.last_name), name_key(account.first_name)) == names and (
                row.family,
                owner,
            ) not in claimed:
                claimed[(row.family, owner)] = person
                _diff_existing(state, person, owner)
                continue
        duplicates = elsewhere.get((*names, row.birth_date), set()) if row.birth_date else set()
        if duplicates:
            protected.update(duplicates)
            _conflict(
                person,
                "Probable duplicate: an account of another establishment has these names and birth date "
                "(add the national identifier to link it).",
            )
            continue
        person.action = "created"
        if owner is None:
            person.email = row.email
            if row.email:
                state.by_email[row.email.lower()] = -1  # taken by this new account
        else:
            person.detail = "E-mail address used by another account: left out."
        person.grant = sorted(set(row.roles) if row.family == STAFF else FAMILY_ROLES[row.family])
        person.record_write, person.record_birth = True, row.birth_date


def _plan_links(state: ImportState, directory: Directory, plan: Plan) -> None:
    by_key = {(p.row.family, p.row.source_id): p for p in plan.people}
    virtual: dict[str, PersonPlan] = {}
    for row in directory.links:
        guardian = by_key.get((GUARDIAN, row.guardian_id))
        student = by_key.get((STUDENT, row.student_id))
        if student is None and STUDENT not in directory.families:
            rec = state.records.get((STUDENT, row.student_id))
            if rec is not None:  # a student imported before, not in this import's files
                student = virtual.setdefault(
                    row.student_id,
                    PersonPlan(
                        row=PersonRow(STUDENT, row.student_id, "", ""),
                        action="unchanged",
                        user_id=rec["user_id"],
                    ),
                )
        if guardian is None or student is None:
            plan.notes.append(
                _note(row.file, row.line, f"Link to unknown student {row.student_id!r}: skipped.")
            )
            continue
        if "conflict" in (guardian.action, student.action):
            plan.notes.append(_note(row.file, row.line, "Link of a person in conflict: skipped."))
            continue
        plan.links.append(LinkPlan(guardian, student, row.responsibility_level, row.can_act))
    listed = {p.user_id for p in plan.people if p.row.family == STUDENT and p.user_id}
    children = {link.student.user_id for link in plan.links if link.student.user_id}
    if STUDENT in directory.families or directory.delta:
        children |= listed
    existing = {
        (g, c): (level, can_act)
        for g, c, level, can_act in GuardianLink.objects.filter(child_id__in=children).values_list(
            "guardian_id", "child_id", "responsibility_level", "can_act"
        )
    }
    wanted: set[tuple[int, int]] = set()
    for link in plan.links:
        if link.guardian.user_id and link.student.user_id:
            pair = (link.guardian.user_id, link.student.user_id)
            wanted.add(pair)
            if pair in existing:
                link.action = "unchanged" if existing[pair] == (link.level, link.can_act) else "update"
        if link.action != "unchanged" and link.guardian.action == "unchanged":
            link.guardian.action, link.guardian.detail = "updated", "links"
    if {STUDENT, GUARDIAN} <= set(directory.families) or directory.delta:
        # The establishment's export is authoritative for its students' guardians: a guardian of
        # the establishment no longer listed for a child loses the link (a delta: for the
        # children it lists), unless the row of that link was skipped.
        guardians_here = {user_id for user_id, roles in state.memberships.items() if "guardian" in roles}
        kept = _skipped_links(state, directory, by_key)
        plan.link_removals = sorted(
            pair
            for pair in existing
            if pair not in wanted
            and pair[0] in guardians_here
            and pair not in kept
            and (not directory.delta or pair[1] in listed)
        )
        updated_guardians = {pair[0] for pair in plan.link_removals}
        for person in plan.people:
            if (
                person.user_id in updated_guardians
                and person.action == "unchanged"
                and person.row.family == GUARDIAN
            ):
                person.action, person.detail = "updated", "links"


def _skipped_links(
    state: ImportState, directory: Directory, by_key: dict[tuple[str, str], PersonPlan]
) -> set[tuple[int, int]]:
    """(guardian, child) accounts of the link rows the parsers skipped: those links stay."""

    def account(family: str, source_id: str) -> int | None:
        person = by_key.get((family, source_id))
        if person is not None and person.user_id:
            return person.user_id
        rec = state.records.get((family, source_id))
        return int(rec["user_id"]) if rec is not None else None

    kept = set()
    for skipped in directory.skipped:
        if skipped.what == LINK:
            guardian, child = account(GUARDIAN, skipped.source_id), account(STUDENT, skipped.student_id)
            if guardian is not None and child is not None:
                kept.add((guardian, child))
    return kept


def _note(file: str, line: int | None, message: str) -> dict[str, Any]:
    return {"name": "", "family": "link", "class": "", "file": file, "line": line, "detail": message}


def _plan_departures(
    state: ImportState,
    directory: Directory,
    plan: Plan,
    claimed: dict[tuple[str, int], PersonPlan],
    protected: set[int],
) -> None:
    """A complete import: whoever of its families is absent departs. A delta: the people it
    names as departed (an AAF ``deleteRequest``, someone who moved to another establishment)."""
    if directory.delta:
        leaving: dict[int, set[str]] = defaultdict(set)
        for family, source_id in directory.departed:
            rec = state.records.get((family, source_id))
            if rec is not None and (family, rec["user_id"]) not in claimed:
                leaving[int(rec["user_id"])].add(family)
        families = {user_id: sorted(found) for user_id, found in leaving.items()}
    else:
        families = {user_id: list(directory.families) for user_id in state.memberships}
    for user_id, user_families in families.items():
        if user_id in protected:
            continue
        for family in user_families:
            if (family, user_id) in claimed:
                continue
            for role, status in state.memberships.get(user_id, {}).items():
                if role in FAMILY_ROLES[family] and status == MembershipStatus.ACTIVE:
                    account = state.accounts.get(user_id)
                    name = f"{account.first_name} {account.last_name}" if account else str(user_id)
                    plan.departures.append(Departure(user_id, role, name))
