"""``{% lesson_item occurrence links can_change here %}``: one lesson of a week page, rendered in
Python. A week holds some thirty lessons with a dozen conditions each: as template tags they cost
more than the rest of the page. Everything shown is escaped (``format_html``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import urlencode
from django.urls import reverse
from django.utils.dateformat import time_format
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tenant_apps.timetable.occurrences import Occurrence

register = template.Library()


def _short(day: Any) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _change_link(o: Occurrence, here: str) -> SafeString | None:
    if o.lesson_id:
        url = reverse("timetable-change", args=[o.lesson_id, o.occurrence_date.isoformat()])
        url = f"{url}?back={urlencode(here)}"
    elif o.exceptional_id:
        url = reverse("timetable-exceptional-edit", args=[o.exceptional_id])
    else:
        return None
    return format_html(
        '<a href="{}">{}<span class="visually-hidden"> {} {} {}</span></a>',
        url,
        _("Change"),
        o.subject,
        _short(o.occurrence_date),
        time_format(o.start, "H:i"),
    )


@register.simple_tag
def lesson_item(o: Occurrence, links: list[tuple[str, str]], can_change: bool, here: str) -> SafeString:
    changed = o.changed
    today_change = changed and o.is_today
    css = "lesson" + (" changed" if changed else "") + (" today-change" if today_change else "")
    what = format_html("{} · {} · {}", o.subject, o.audience, o.teacher)
    if o.room:
        what = format_html("{} · {}", what, o.room)
    if o.cancelled or o.moved_to:
        what = format_html("<del>{}</del>", what)
    parts = [format_html("<mark>{}</mark>", _("Changed today"))] if today_change else []
    hours = (time_format(o.start, "H:i"), time_format(o.end, "H:i"))
    parts.append(format_html("<strong>{}\N{EN DASH}{}</strong>", *hours))
    parts.append(what)
    flags = [
        (o.cancelled, _("Cancelled")),
        (o.moved_to, o.moved_to and _("Moved to %(d)s") % {"d": _short(o.moved_to)}),
        (o.moved_from, o.moved_from and _("Moved from %(d)s") % {"d": _short(o.moved_from)}),
        (o.room_changed, _("Room changed")),
        (o.replaced, _("Replacement teacher")),
        (o.exceptional, _("Exceptional lesson")),
    ]
    parts.extend(format_html("<em>{}</em>", text) for shown, text in flags if shown)
    if o.note:
        parts.append(format_html('<span class="muted">{}</span>', o.note))
    parts.extend(format_html('<a href="{}">{}</a>', url, label) for label, url in links)
    link = _change_link(o, here) if can_change else None
    if link is not None:
        parts.append(link)
    return format_html('<li class="{}">\n{}\n</li>', css, mark_safe("\n".join(parts)))  # noqa: S308  (each part escaped)
