"""Who may do what with identity's data (role sets declared by the pages and the API, and checked
again by the services; the rule itself is ``mbn_platform.kernel.permissions.check_access``)."""

from __future__ import annotations

from shared_apps.identity.roles import ESTABLISHMENT_LEADERS

#: Manage an establishment's memberships and its students' guardian links (its host).
MEMBERSHIP_ADMIN_ROLES = ESTABLISHMENT_LEADERS
