"""The school's structure as the import tests read it: by names, or every row with its id."""

from __future__ import annotations

from typing import Any

from django_tenants.utils import schema_context

from tenant_apps.school.models import SchoolClass
from tenant_apps.structure.models import Group, Subject, TeachingAssignment
from tenants.models import Establishment
from tests.directory.helpers import snapshot


def structure(school: Establishment) -> dict[str, Any]:
    """The structure as a person sees it: names, not ids."""
    with schema_context(school.schema_name):
        groups = {
            g.name: (g.imported, sorted(m.display_name for m in g.members.all()))
            for g in Group.objects.prefetch_related("members")
        }
        assignments = sorted(
            (
                a.teacher.display_name,
                a.subject.code,
                a.school_class.name if a.school_class else "",
                a.group.name if a.group else "",
                a.imported,
            )
            for a in TeachingAssignment.objects.select_related("teacher", "subject", "school_class", "group")
        )
        return {
            "subjects": dict(Subject.objects.values_list("code", "name")),
            "classes": sorted(SchoolClass.objects.values_list("name", flat=True)),
            "groups": groups,
            "assignments": assignments,
        }


def full_snapshot(school: Establishment) -> dict[str, Any]:
    """Every row an import may write, ids included."""
    with schema_context(school.schema_name):
        rows = {
            "subjects": sorted(Subject.objects.values_list("pk", "code", "name")),
            "groups": sorted(Group.objects.values_list("pk", "name", "imported")),
            "memberships": sorted(Group.members.through.objects.values_list("pk", "group_id", "member_id")),
            "assignments": sorted(
                TeachingAssignment.objects.values_list(
                    "pk", "teacher_id", "subject_id", "school_class_id", "group_id", "imported"
                )
            ),
        }
    return {**snapshot(school), **rows}


EXPECTED_ASSIGNMENTS = [
    ("Claire Durand", "030602", "", "ESP2", True),
    ("Claire Durand", "061300", "4e B", "", True),
    ("Claire Durand", "061300", "5e A", "", True),
    ("Paul Roux", "030201", "", "AGL-renf", True),
    ("Paul Roux", "030201", "4e B", "", True),
]
