"""Writes of grades (the caller selects the schema): ``assessments`` (set, changed, published
from a date), ``grades`` (a grid of cells entered at once), ``policy`` (rounding, subjects'
coefficients). Every write takes ``actor`` and leaves one audit entry (``grades.…``; a change of
grades already published records each cell's before → after)."""

from __future__ import annotations

from tenant_apps.grades.services.assessments import assessment_create, assessment_update
from tenant_apps.grades.services.grades import cell_parse, grades_enter
from tenant_apps.grades.services.policy import grading_policy_set, subject_coefficient_set
from tenant_apps.grades.services.skills import skills_rate

__all__ = [
    "assessment_create",
    "assessment_update",
    "cell_parse",
    "grades_enter",
    "grading_policy_set",
    "skills_rate",
    "subject_coefficient_set",
]
