"""What report cards add, at start-up (``apps.py``), to the school's navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.permissions import ANY_MEMBER
from tenant_apps.school.navigation import NavEntry, navigation_register


def register_navigation() -> None:
    navigation_register(NavEntry(_("Report cards"), "reportcards-home", ANY_MEMBER, order=46))
