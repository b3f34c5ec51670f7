"""Billing's tables (public schema), one module per concern."""

from shared_apps.billing.models.contracts import Contract, ContractPlan, PricePlan, PriceTier
from shared_apps.billing.models.funders import Funder, FunderAssignment, FunderKind, FunderViewer
from shared_apps.billing.models.immutable import RecordIsImmutable
from shared_apps.billing.models.invoices import Invoice, InvoiceCounter, InvoiceKind, InvoiceLine
from shared_apps.billing.models.usage import UsageDay

__all__ = [
    "Contract",
    "ContractPlan",
    "Funder",
    "FunderAssignment",
    "FunderKind",
    "FunderViewer",
    "Invoice",
    "InvoiceCounter",
    "InvoiceKind",
    "InvoiceLine",
    "PricePlan",
    "PriceTier",
    "RecordIsImmutable",
    "UsageDay",
]
