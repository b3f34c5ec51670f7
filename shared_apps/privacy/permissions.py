"""Who may read the records of processing and produce an access export for someone else."""

from __future__ import annotations

from shared_apps.identity.roles import DATA_PROTECTION_OFFICERS, OPERATORS

#: The records of processing; access exports for requests received by post.
PRIVACY_OFFICERS = OPERATORS | DATA_PROTECTION_OFFICERS
