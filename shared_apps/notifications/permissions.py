"""Who may use the notifications' public pages: anyone for their own settings; region operators
for the caught mail of the demo."""

from __future__ import annotations

from shared_apps.identity.roles import OPERATORS

#: The local mail catcher's page (demo and tests only).
CAUGHT_MAIL_READERS = OPERATORS
