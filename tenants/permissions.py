"""Who may use the operators' console and its API (role sets declared by the pages and the API;
the rule itself is ``mbn_platform.kernel.permissions.check_access``)."""

from __future__ import annotations

from shared_apps.identity.roles import OPERATORS, SUPPORT_AGENTS

#: Onboard, change, suspend, export, offboard and restore establishments.
CONSOLE_OPERATORS = OPERATORS
#: Read the establishments, their jobs and batches (support agents help from there).
CONSOLE_READERS = OPERATORS | SUPPORT_AGENTS
