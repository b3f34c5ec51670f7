"""Who registers connected applications: the establishment's leaders (for it), region operators."""

from __future__ import annotations

from shared_apps.identity.roles import ESTABLISHMENT_LEADERS, OPERATORS, Role

#: On a school's host: its administrators and head register applications for it.
APP_ADMIN_ROLES = frozenset({*ESTABLISHMENT_LEADERS})
#: On the portal: region operators register applications for any establishments or the region.
APP_ADMIN_REGION_ROLES = frozenset(OPERATORS)
#: Roles an application may be limited to.
APP_ROLE_CHOICES = list(Role.choices)
