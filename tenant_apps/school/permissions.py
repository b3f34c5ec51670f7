"""Who may do what in the school app: the role sets it declares (the rule itself is
``mbn_platform.kernel.permissions.check_access``)."""

from __future__ import annotations

from shared_apps.identity.permissions import MEMBERSHIP_ADMIN_ROLES

#: Manage the members and their roles (the pages and API in ``members/``): the establishment's
#: leadership, the set identity's memberships services check again.
MEMBERSHIP_MANAGERS = MEMBERSHIP_ADMIN_ROLES
