"""Who may do what in billing (role sets declared by the pages and the API; what a funder's
viewer sees is scoped again by the selectors)."""

from __future__ import annotations

from shared_apps.identity.roles import OPERATORS, RegionRole

#: Manage funders and contracts, issue invoices and credit notes, see every funder.
BILLING_OPERATORS = OPERATORS
#: Funders' viewers: their own funder's dashboard and invoices, read-only.
FUNDER_VIEWERS = frozenset({RegionRole.FUNDER_VIEWER})
#: The dashboard and the invoices (operators: all; viewers: their funder's).
BILLING_READERS = BILLING_OPERATORS | FUNDER_VIEWERS
