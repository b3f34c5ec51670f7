"""A notification's words, kept untranslated and rendered in each reader's language.

One event reaches people of several languages and is read days later, so the service stores the
message id and its values, not a translated string: ``Text(gettext_noop("Absence of %(name)s"),
name=...)``. A value may itself be a ``Text`` (e.g. "cancelled"), a date or a time (formatted in
the reader's language). A plain ``str`` given to ``notify`` is kept as it is (already in the
reader's words, or a name).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import formats
from django.utils.translation import gettext


class Text:
    """A message id marked with ``gettext_noop`` and its ``%(name)s`` values."""

    __slots__ = ("message", "params")

    def __init__(self, message: str, /, **params: Any) -> None:
        self.message = str(message)
        self.params = params

    def render(self) -> str:
        """In the active language (call inside ``translation.override``)."""
        translated = gettext(self.message) if self.message else ""
        if not self.params:
            return translated
        return translated % {key: _render_value(value) for key, value in self.params.items()}

    def to_json(self) -> dict[str, Any]:
        return {"m": self.message, "p": {key: _json_value(value) for key, value in self.params.items()}}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and self.to_json() == other.to_json()

    def __hash__(self) -> int:
        return hash(repr(self.to_json()))

    def __repr__(self) -> str:
        return f"Text({self.message!r}, {self.params!r})"


def _json_value(value: Any) -> Any:
    if isinstance(value, Text):
        return {"t": value.to_json()}
    if isinstance(value, datetime.datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"d": value.isoformat()}
    if isinstance(value, datetime.time):
        return {"h": value.strftime("%H:%M")}
    return str(value)


def _render_value(value: Any) -> str:
    if isinstance(value, Text):
        return value.render()
    if isinstance(value, datetime.datetime):
        return str(formats.date_format(value, "SHORT_DATETIME_FORMAT"))
    if isinstance(value, datetime.date):
        return str(formats.date_format(value, "DATE_FORMAT"))
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    return str(value)


def text_from_json(data: Any) -> Text:
    """The ``Text`` stored by ``to_json`` (a plain string is kept as it is)."""
    if isinstance(data, str):
        return Text("%(s)s", s=data)
    params = {key: _value_from_json(value) for key, value in (data.get("p") or {}).items()}
    return Text(data.get("m", ""), **params)


def _value_from_json(value: Any) -> Any:
    if isinstance(value, dict):
        if "t" in value:
            return text_from_json(value["t"])
        if "dt" in value:
            return datetime.datetime.fromisoformat(value["dt"])
        if "d" in value:
            return datetime.date.fromisoformat(value["d"])
        if "h" in value:
            return datetime.time.fromisoformat(value["h"])
    return value


def as_text(value: Text | str) -> Text:
    """A ``str`` given by a caller becomes a ``Text`` that renders it unchanged."""
    return value if isinstance(value, Text) else Text("%(s)s", s=value)


def text_render(data: Any) -> str:
    """Render stored JSON in the active language."""
    return text_from_json(data).render()
