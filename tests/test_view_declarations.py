"""Every routed view declares who may use it: roles, region roles, ``ANY_MEMBER`` or
``allow_anonymous`` (mbn_platform/kernel/permissions.py). A view that declares nothing would
silently admit any member; this test fails on one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from mbn_platform.kernel.permissions import declared_access

URLCONFS = ["mbn_platform.config.urls_public", "mbn_platform.config.urls_tenant"]
#: Views of other projects, with their own access rules: Django's admin site (its own staff
#: check, and the content types' "view on site" it routes), the language switch (a cookie,
#: nothing read or written of anyone's data) and redirects to routes that declare their own.
THIRD_PARTY = (
    "django.contrib.admin",
    "django.contrib.contenttypes.views",
    "django.views.i18n",
    "django.views.generic.base.RedirectView",
)


def _routes(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def _view(callback: Any) -> Any:
    """The class of a class-based view (Django's or DRF's), else the function itself."""
    return getattr(callback, "view_class", None) or getattr(callback, "cls", None) or callback


def undeclared(urlconf: str) -> list[str]:
    found = []
    for route, callback in _routes(get_resolver(urlconf).url_patterns):
        view = _view(callback)
        name = f"{getattr(view, '__module__', '')}.{getattr(view, '__qualname__', '')}"
        if name.startswith(THIRD_PARTY):
            continue
        if not declared_access(view):
            found.append(f"{route} -> {view.__module__}.{view.__qualname__}")
    return found


@pytest.mark.parametrize("urlconf", URLCONFS)
def test_every_routed_view_declares_who_may_use_it(urlconf):
    assert undeclared(urlconf) == []


def test_a_view_that_declares_nothing_is_found(settings):
    from django.http import HttpResponse
    from django.urls import path

    def quiet(request):  # type: ignore[no-untyped-def]
        return HttpResponse("")

    module = type("urls", (), {"urlpatterns": [path("quiet/", quiet)]})
    import sys

    sys.modules["tests._quiet_urls"] = module  # type: ignore[assignment]
    try:
        assert undeclared("tests._quiet_urls") == [
            "quiet/ -> tests.test_view_declarations.test_a_view_that_declares_nothing_is_found.<locals>.quiet"
        ]
    finally:
        del sys.modules["tests._quiet_urls"]
