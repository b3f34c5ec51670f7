"""What grades add, at start-up (``apps.py``), to the school's navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shared_apps.identity.roles import Role
from tenant_apps.grades.permissions import GRADES_STAFF
from tenant_apps.school.navigation import NavEntry, navigation_register


def register_navigation() -> None:
    navigation_register(
        NavEntry(
            _("Grades"),
            "grades-home",
            frozenset({*GRADES_STAFF, Role.TEACHER, Role.GUARDIAN, Role.STUDENT}),
            order=45,
        ),
    )
