"""Who may do what with the region's school calendar (the rule itself is
``mbn_platform.kernel.permissions.check_access``)."""

from __future__ import annotations

from mbn_platform.kernel.permissions import ANY_MEMBER
from shared_apps.identity.roles import OPERATORS

#: Enter the zones' holidays and the bank holidays; set an establishment's zone.
CALENDAR_EDITORS = OPERATORS
#: Read the region's calendar: anyone signed in.
CALENDAR_READERS = ANY_MEMBER
