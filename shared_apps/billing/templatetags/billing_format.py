"""Amounts and sizes as billing pages and documents show them."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def euros(value: Decimal | int | None) -> str:
    """``1 234,50 €`` (grouped, two decimals, in the current language's format)."""
    if value is None:
        return ""
    return f"{number_format(Decimal(value), 2, use_l10n=True, force_grouping=True)} €"


@register.filter
def storage_gb(value: int | None) -> str:
    """Bytes as decimal gigabytes with two decimals (``1,25``)."""
    return number_format(Decimal(value or 0) / Decimal(1000**3), 2, use_l10n=True)
