"""The result of planning an import (``planning.py``): each person's action, links, departures,
and the changes of the school's structure (``structure_planning.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shared_apps.directory.parsers.model import AssignmentRow, PersonRow, RowError, SubjectRow

CATEGORIES = ("created", "linked", "updated", "unchanged", "conflicts", "departed")
STRUCTURE_CHANGES = (
    "subjects_created",
    "subjects_renamed",
    "classes_created",
    "groups_created",
    "groups_adopted",
    "memberships_added",
    "memberships_removed",
    "assignments_added",
    "assignments_removed",
)
SAMPLE_ROWS = 20


@dataclass
class Account:
    first_name: str
    last_name: str
    email: str
    national_id: str


@dataclass
class PersonPlan:
    row: PersonRow
    action: str = ""  # created / linked / updated / unchanged / conflict
    user_id: int | None = None
    detail: str = ""
    user_changes: dict[str, str] = field(default_factory=dict)
    email: str = ""  # the e-mail a created account gets ("" when taken by another account)
    grant: list[str] = field(default_factory=list)
    end: list[str] = field(default_factory=list)
    record_id: int | None = None
    record_write: bool = False
    record_birth: str = ""


@dataclass
class LinkPlan:
    guardian: PersonPlan
    student: PersonPlan
    level: int
    can_act: bool
    action: str = "create"  # create / update / unchanged


@dataclass
class Departure:
    user_id: int
    role: str
    name: str


@dataclass
class AssignmentPlan:
    row: AssignmentRow
    teacher: PersonPlan


@dataclass
class StructurePlan:
    """What the import changes of the school's structure. Rows are described (``label``) for the
    preview; the ids of rows to remove come from the snapshot read in the apply's transaction."""

    active: bool = False  # the files carry some structure
    rows: int = 0  # rows of the files considered (progress)
    subjects: dict[str, str] = field(default_factory=dict)  # code -> name: created or renamed
    classes: set[str] = field(default_factory=set)  # created
    class_levels: dict[str, str] = field(default_factory=dict)  # name -> level the files tell
    groups: set[str] = field(default_factory=set)  # created or taken over
    memberships_added: list[tuple[str, PersonPlan]] = field(default_factory=list)
    memberships_removed: list[int] = field(default_factory=list)
    assignments_added: list[AssignmentPlan] = field(default_factory=list)
    assignments_removed: list[int] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STRUCTURE_CHANGES, 0))
    samples: list[dict[str, Any]] = field(default_factory=list)

    def change(
        self, key: str, name: str, detail: str = "", row: SubjectRow | AssignmentRow | PersonRow | None = None
    ) -> None:
        self.counts[key] = self.counts.get(key, 0) + 1
        if self.counts[key] <= SAMPLE_ROWS:
            self.samples.append(
                {
                    "change": key,
                    "name": name,
                    "detail": detail,
                    "file": row.file if row is not None else "",
                    "line": row.line if row is not None else None,
                }
            )


@dataclass
class Plan:
    people: list[PersonPlan]
    links: list[LinkPlan]
    link_removals: list[tuple[int, int]]
    departures: list[Departure]
    notes: list[dict[str, Any]]  # conflicts that are not people: skipped links, e-mails left out
    structure: StructurePlan = field(default_factory=StructurePlan)
    errors: list[RowError] = field(default_factory=list)  # what refuses the import (by file, line)

    @property
    def total(self) -> int:
        return len(self.people) + len(self.links) + self.structure.rows

    def counts(self) -> dict[str, Any]:
        counts: dict[str, Any] = dict.fromkeys(CATEGORIES, 0)
        for person in self.people:
            counts["conflicts" if person.action == "conflict" else person.action] += 1
        counts["conflicts"] += len(self.notes)
        counts["departed"] = len({d.user_id for d in self.departures})
        counts["links"] = {
            "created": sum(1 for link in self.links if link.action == "create"),
            "updated": sum(1 for link in self.links if link.action == "update"),
            "removed": len(self.link_removals),
        }
        if self.structure.active:
            counts["structure"] = dict(self.structure.counts)
        return counts

    def samples(self) -> dict[str, list[dict[str, Any]]]:
        samples: dict[str, list[dict[str, Any]]] = {category: [] for category in CATEGORIES}
        for person in self.people:
            rows = samples["conflicts" if person.action == "conflict" else person.action]
            if len(rows) < SAMPLE_ROWS:
                row = person.row
                rows.append(
                    {
                        "name": f"{row.first_name} {row.last_name}",
                        "family": row.family,
                        "class": row.class_name,
                        "file": row.file,
                        "line": row.line,
                        "detail": person.detail,
                    }
                )
        for note in self.notes:
            if len(samples["conflicts"]) < SAMPLE_ROWS:
                samples["conflicts"].append(note)
        seen: set[int] = set()
        for departure in self.departures:
            if departure.user_id not in seen and len(samples["departed"]) < SAMPLE_ROWS:
                seen.add(departure.user_id)
                samples["departed"].append({"name": departure.name, "family": departure.role, "detail": ""})
        if self.structure.active:
            samples["structure"] = list(self.structure.samples)
        return samples
