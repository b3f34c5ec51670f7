"""Who may import the directory, print activation letters, run the académies' feeds (role sets
declared by the pages and the API; the rule itself is
``mbn_platform.kernel.permissions.check_access``)."""

from __future__ import annotations

from shared_apps.identity.roles import ESTABLISHMENT_LEADERS, OPERATORS, Role

#: Import the establishment's directory files and print activation letters (its host).
IMPORT_ROLES = ESTABLISHMENT_LEADERS | {Role.ADMIN_STAFF}

#: Configure the académies' AAF feeds, pause them, read their reports (the operators' console).
FEED_OPERATORS = OPERATORS
