"""``{{ value|rich }}``: rich text, sanitised again as it is served (it was when saved)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from mbn_platform.kernel.richtext import rich_text_clean

register = template.Library()


@register.filter
def rich(value: str) -> SafeString:
    return mark_safe(rich_text_clean(str(value or "")))  # noqa: S308  (sanitised by nh3 just before)
