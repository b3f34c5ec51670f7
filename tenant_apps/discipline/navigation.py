"""What discipline adds, at start-up (``apps.py``), to the school's navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shared_apps.identity.roles import Role
from tenant_apps.discipline.permissions import DISCIPLINE_STAFF
from tenant_apps.school.navigation import NavEntry, navigation_register


def register_navigation() -> None:
    navigation_register(
        NavEntry(
            _("Discipline"),
            "discipline-home",
            frozenset({*DISCIPLINE_STAFF, Role.TEACHER, Role.GUARDIAN, Role.STUDENT}),
            order=55,
        ),
        NavEntry(_("Detention roster"), "discipline-detentions", DISCIPLINE_STAFF, order=56),
    )
