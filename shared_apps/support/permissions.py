"""Who may do what at the support desk (role sets declared by the pages and the API, and used by
the services and selectors that check them again)."""

from __future__ import annotations

from shared_apps.identity.roles import ESTABLISHMENT_LEADERS, SUPPORT_AGENTS

#: Work the queue, reply from support, impersonate with consent (the portal).
AGENTS = SUPPORT_AGENTS
#: Open a request for a member of their establishment, see all its requests, approve or refuse
#: an impersonation there.
ESTABLISHMENT_SUPPORT_MANAGERS = ESTABLISHMENT_LEADERS
