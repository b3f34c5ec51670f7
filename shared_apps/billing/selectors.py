"""Reads of billing, already scoped to what the person may see: operators see every funder; a
funder's viewer sees only their funder's establishments and invoices (anything else is 404)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from mbn_platform.kernel.errors import NotFound
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.tenancy import RequestAccess
from shared_apps.billing.models import Funder, FunderViewer, Invoice
from shared_apps.billing.permissions import BILLING_OPERATORS
from tenants.models import Establishment


@dataclass(frozen=True)
class FunderScope:
    """``funder_id`` None: every funder (an operator); else that one funder only."""

    funder_id: int | None
    operator: bool

    def establishments(self) -> QuerySet[Establishment]:
        queryset = Establishment.objects.exclude(schema_name="public").select_related("funded_by")
        return queryset if self.funder_id is None else queryset.filter(funded_by_id=self.funder_id)

    def funders(self) -> QuerySet[Funder]:
        queryset = Funder.objects.order_by("name")
        return queryset if self.funder_id is None else queryset.filter(pk=self.funder_id)

    def narrowed(self, funder: Funder | None) -> FunderScope:
        """An operator's scope narrowed to one funder (a filter); a viewer's stays theirs."""
        if funder is None or not self.operator:
            return self
        return FunderScope(funder_id=funder.pk, operator=True)


def funder_scope(*, access: RequestAccess) -> FunderScope:
    """What this person may see: all funders (operators), their funder (a funder's viewer), or
    nothing (404) — a viewer not attached to a funder sees nothing."""
    if access.region_roles & BILLING_OPERATORS:
        return FunderScope(funder_id=None, operator=True)
    if access.user_id is None:
        raise NotFound()
    viewer = FunderViewer.objects.filter(user_id=access.user_id).values_list("funder_id", flat=True).first()
    if viewer is None:
        raise NotFound()
    return FunderScope(funder_id=viewer, operator=False)


def establishment_visible(*, scope: FunderScope, uai: str) -> Establishment:
    return get_or_404(scope.establishments(), uai=uai.upper())


def invoices_visible(*, scope: FunderScope) -> QuerySet[Invoice]:
    queryset = Invoice.objects.select_related("corrects").prefetch_related("credit_notes")
    return queryset if scope.funder_id is None else queryset.filter(funder_id=scope.funder_id)


def invoice_visible(*, scope: FunderScope, invoice_id: int) -> Invoice:
    return get_or_404(invoices_visible(scope=scope), pk=invoice_id)


def funder_of_filter(*, scope: FunderScope, code: str) -> Funder | None:
    """The funder an operator filters on (by code); None for no filter or for a viewer."""
    if not code or not scope.operator:
        return None
    return get_or_404(Funder, code=code)
