"""What the spaces add, at start-up (``apps.py``), to the school's navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tenant_apps.school.navigation import NavEntry, navigation_register
from tenant_apps.spaces.permissions import SPACE_NAVIGATION


def register_navigation() -> None:
    navigation_register(NavEntry(_("Spaces"), "spaces-home", SPACE_NAVIGATION, order=14))
