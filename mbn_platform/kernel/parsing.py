"""Values from the outside (query parameters, path values, form fields) parsed at the boundary.

Bad input is a 400 naming the field (or a 404 where the value is part of a page's address),
never a 500: NUL bytes, out-of-range integers and dates are refused here, once.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.errors import NotFound, ValidationFailed

#: Dates the platform stores and shows: a school year never starts before 1900 or after 2200.
MIN_DATE = datetime.date(1900, 1, 1)
MAX_DATE = datetime.date(2200, 12, 31)
#: PostgreSQL's ``integer``: what an id or a count column holds.
MAX_INT = 2**31 - 1
#: PostgreSQL's ``bigint``: what the platform's ids hold.
MAX_BIGINT = 2**63 - 1


def parse_text(value: Any, *, field: str, max_length: int = 1000) -> str:
    """A piece of text, stripped; refused with a NUL byte or beyond ``max_length``."""
    text = str(value or "").strip()
    if "\x00" in text:
        raise ValidationFailed(fields={field: [_("This value holds a character that is not allowed.")]})
    if len(text) > max_length:
        raise ValidationFailed(fields={field: [_("This value is too long.")]})
    return text


def parse_iso_date(value: Any, *, field: str) -> datetime.date:
    """A date written ``YYYY-MM-DD`` within the platform's range; 400 naming ``field`` otherwise."""
    text = parse_text(value, field=field, max_length=10)
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise ValidationFailed(fields={field: [_("Enter a date as YYYY-MM-DD.")]}) from exc
    if not MIN_DATE <= day <= MAX_DATE:
        raise ValidationFailed(fields={field: [_("Enter a date between 1900 and 2200.")]})
    return day


def parse_month(value: Any, *, field: str) -> datetime.date:
    """A month written ``YYYY-MM`` (the first day of it); 400 naming ``field`` otherwise."""
    text = parse_text(value, field=field, max_length=7)
    if len(text) != 7 or text[4] != "-":
        raise ValidationFailed(fields={field: [_("Enter a month as YYYY-MM.")]})
    try:
        return parse_iso_date(f"{text}-01", field=field)
    except ValidationFailed as exc:
        raise ValidationFailed(fields={field: [_("Enter a month as YYYY-MM.")]}) from exc


def query_month(
    params: Mapping[str, Any], name: str, *, default: datetime.date | None = None
) -> datetime.date | None:
    """An optional month query parameter ``YYYY-MM`` (``default`` when absent or empty)."""
    value = params.get(name)
    if value is None or not str(value).strip():
        return default
    return parse_month(value, field=name)


def query_date(
    params: Mapping[str, Any], name: str, *, default: datetime.date | None = None
) -> datetime.date | None:
    """An optional date query parameter (``default`` when absent or empty)."""
    value = params.get(name)
    if value is None or not str(value).strip():
        return default
    return parse_iso_date(value, field=name)


def path_date(value: str) -> datetime.date:
    """A date that is part of a page's address: a bad one names no page (404)."""
    try:
        return parse_iso_date(value, field="date")
    except ValidationFailed as exc:
        raise NotFound() from exc


def parse_int(value: Any, *, field: str, minimum: int = 0, maximum: int = MAX_INT) -> int:
    """A whole number within bounds (an id, a count); 400 naming ``field`` otherwise."""
    text = parse_text(value, field=field, max_length=20)
    try:
        number = int(text)
    except ValueError as exc:
        raise ValidationFailed(fields={field: [_("Enter a whole number.")]}) from exc
    if not minimum <= number <= maximum:
        raise ValidationFailed(
            fields={
                field: [_("Enter a number between %(min)s and %(max)s.") % {"min": minimum, "max": maximum}]
            }
        )
    return number


def query_int(
    params: Mapping[str, Any],
    name: str,
    *,
    default: int | None = None,
    minimum: int = 0,
    maximum: int = MAX_INT,
) -> int | None:
    """An optional whole-number query parameter (``default`` when absent or empty)."""
    value = params.get(name)
    if value is None or not str(value).strip():
        return default
    return parse_int(value, field=name, minimum=minimum, maximum=maximum)


def query_text(params: Mapping[str, Any], name: str, *, max_length: int = 200) -> str:
    """An optional text query parameter ("" when absent)."""
    return parse_text(params.get(name, ""), field=name, max_length=max_length)
