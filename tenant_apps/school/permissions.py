"""Who may do what in the school app: the role sets it declares (the rule itself is
``mbn_platform.kernel.permissions.check_access``)."""

from __future__ import annotations

from shared_apps.identity.roles import ESTABLISHMENT_LEADERS

#: Manage the members and their roles: the establishment's leadership (the pages are identity's
#: and check it themselves; the school's navigation links them).
MEMBERSHIP_MANAGERS = ESTABLISHMENT_LEADERS
