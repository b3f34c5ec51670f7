"""What the documents add, at start-up (``apps.py``), to the school's navigation: "My documents"."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tenant_apps.documents.permissions import DOCUMENT_USERS
from tenant_apps.school.navigation import NavEntry, navigation_register


def register_navigation() -> None:
    navigation_register(NavEntry(_("My documents"), "documents:mine", DOCUMENT_USERS, order=16))
