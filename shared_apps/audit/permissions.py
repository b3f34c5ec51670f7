"""Who may read the audit log (role sets declared by the pages and the API; the rule itself is
``mbn_platform.kernel.permissions.check_access``)."""

from __future__ import annotations

from shared_apps.identity.roles import ESTABLISHMENT_LEADERS, OPERATORS

#: Read and export the whole region's log (the portal).
REGION_AUDIT_READERS = OPERATORS
#: Read and export one establishment's entries (its host).
ESTABLISHMENT_AUDIT_READERS = ESTABLISHMENT_LEADERS
