"""Writes of report cards (the caller selects the schema): ``council`` (head teachers, the
teachers' appraisals, the council's appraisal and decision) and ``publication`` (the head
publishes a class's report cards, generated in the background; a regeneration after a
correction). Every write takes ``actor`` and leaves one audit entry (``reportcards.…``)."""

from __future__ import annotations

from tenant_apps.reportcards.services.council import appraisal_write, council_decision_set, head_teacher_set
from tenant_apps.reportcards.services.publication import report_card_regenerate, report_cards_publish

__all__ = [
    "appraisal_write",
    "council_decision_set",
    "head_teacher_set",
    "report_card_regenerate",
    "report_cards_publish",
]
