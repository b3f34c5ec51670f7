"""Sections the apps above the school app add to the school's home page (e.g. the latest news),
registered from their ``AppConfig.ready()`` so that the school app imports none of them.

A section is a template and a function that gives its context for the request (``None``: the
section is not shown). It must cost a fixed number of queries; visitors who are not signed in
reach the home page too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class HomeSection:
    key: str
    template: str
    context: Callable[[HttpRequest], dict[str, Any] | None]
    order: int = 50


_sections: dict[str, HomeSection] = {}


def home_section_register(section: HomeSection) -> None:
    _sections[section.key] = section


def home_sections(request: HttpRequest) -> list[tuple[str, dict[str, Any]]]:
    """(template, context) of every section shown to this request, in order."""
    shown = []
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.key)):
        context = section.context(request)
        if context is not None:
            shown.append((section.template, context))
    return shown
