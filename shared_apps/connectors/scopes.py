"""The scopes an application may ask for: OpenID Connect's, the API's level and its areas.

``read`` reads the API, ``write`` reads and writes it. An area scope (``timetable``,
``attendance`` …) narrows a token to those parts of the API (``/api/v1/<area>/…``), besides the
person's own basics (``/api/v1/me/``); a token with no area scope reaches every part its level
allows. The person's roles still decide everything else, as for a session.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from oauth2_provider.scopes import BaseScopes

OIDC_SCOPES = {
    "openid": _("Sign you in (an identifier of your account for this application only)"),
    "profile": _("Your name"),
    "email": _("Your e-mail address"),
}
LEVEL_SCOPES = {
    "read": _("Read your data through the API"),
    "write": _("Read and change your data through the API"),
}
AREA_SCOPES = {
    "timetable": _("Only the timetable"),
    "attendance": _("Only attendance and absence justifications"),
    "discipline": _("Only discipline"),
    "structure": _("Only the school's structure"),
}
ALL_SCOPES = {**OIDC_SCOPES, **LEVEL_SCOPES, **AREA_SCOPES}
DEFAULT_SCOPES = ["openid"]
#: API paths any token with a level reaches, whatever its areas.
ALWAYS_REACHABLE_AREAS = frozenset({"me"})


class PlatformScopes(BaseScopes):
    def get_all_scopes(self) -> dict[str, Any]:
        return ALL_SCOPES

    def get_available_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        return list(ALL_SCOPES)

    def get_default_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        return DEFAULT_SCOPES


def scope_refusal(*, scopes: frozenset[str], method: str, path: str) -> str | None:
    """Why a token with these scopes may not make this API request, or None if it may."""
    writing = method not in ("GET", "HEAD", "OPTIONS")
    if writing and "write" not in scopes:
        return "write"
    if not writing and not scopes & {"read", "write"}:
        return "read"
    areas = scopes & AREA_SCOPES.keys()
    if areas:
        segment = path.removeprefix("/api/v1/").split("/", 1)[0]
        if segment not in areas and segment not in ALWAYS_REACHABLE_AREAS:
            return segment
    return None
