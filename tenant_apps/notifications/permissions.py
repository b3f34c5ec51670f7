"""Who may set the establishment's notification policy (which types are urgent): its head and
administrators; every member of staff may read it."""

from __future__ import annotations

from shared_apps.identity.roles import ESTABLISHMENT_LEADERS, STAFF_ROLES

POLICY_READERS = STAFF_ROLES
POLICY_MANAGERS = ESTABLISHMENT_LEADERS
