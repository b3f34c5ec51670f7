"""What the administrative desk adds, at start-up (``apps.py``), to the school's navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shared_apps.identity.roles import STAFF_ROLES
from tenant_apps.forms.permissions import RESPONDENTS
from tenant_apps.school.navigation import NavEntry, navigation_register


def register_navigation() -> None:
    navigation_register(NavEntry(_("Forms and requests"), "forms-home", STAFF_ROLES | RESPONDENTS, order=62))
