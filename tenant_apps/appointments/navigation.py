"""What appointments add, at start-up (``apps.py``), to the school's navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tenant_apps.appointments.permissions import BOOKERS, SLOT_PUBLISHERS
from tenant_apps.school.navigation import NavEntry, navigation_register


def register_navigation() -> None:
    navigation_register(
        NavEntry(_("Appointments"), "appointments-home", SLOT_PUBLISHERS | BOOKERS, order=60),
    )
