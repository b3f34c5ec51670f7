"""What messaging adds, at start-up (``apps.py``), to the school's navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.permissions import ANY_MEMBER
from tenant_apps.messaging.permissions import MODERATORS, RULE_MANAGERS
from tenant_apps.school.navigation import NavEntry, navigation_register


def register_navigation() -> None:
    navigation_register(
        NavEntry(_("Messages"), "messaging-home", ANY_MEMBER, order=12),
        NavEntry(_("Reported messages"), "messaging-reports", MODERATORS, order=57),
        NavEntry(_("Communication rules"), "messaging-rules", RULE_MANAGERS, order=96),
    )
