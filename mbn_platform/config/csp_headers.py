"""django-csp's middleware, with the plain policy built once per configuration.

Most responses carry the policy exactly as the settings give it: no nonce was used (no inline
script on the page) and no view changed it (``csp_update``, ``csp_replace``…). django-csp builds
that same string anew for every response (copies, sorts and joins every directive, twice: the
policy and the report-only one): about a tenth of a signed-in ``/ping``'s time. Here it is built
once for each settings object and reused; any other response goes through django-csp unchanged.
"""

from __future__ import annotations

from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

#: What a view sets on its response to change the policy (django-csp's decorators).
_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
_SETTINGS = (
    (False, HEADER, "CONTENT_SECURITY_POLICY", "_csp_exempt"),
    (True, HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", "_csp_exempt_ro"),
)
#: (settings object's id, report only) → (the settings object, its policy string).
_built: dict[tuple[int, bool], tuple[Any, str]] = {}


def plain_policy(policy_settings: Any, *, report_only: bool) -> str:
    """The header for these settings, as django-csp builds it without nonce or changes."""
    key = (id(policy_settings), report_only)
    found = _built.get(key)
    if found is not None and found[0] is policy_settings:
        return found[1]
    value = build_policy(report_only=report_only)
    _built[key] = (policy_settings, value)
    return value


class PlainPolicyCSPMiddleware(CSPMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if (
            settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _PER_RESPONSE)
        ):
            return super().process_response(request, response)
        for report_only, header, name, exempt in _SETTINGS:
            policy_settings = getattr(settings, name, None) or {}
            policy = plain_policy(policy_settings, report_only=report_only) if policy_settings else ""
            excluded = request.path_info.startswith(tuple(policy_settings.get("EXCLUDE_URL_PREFIXES") or ()))
            if policy and header not in response and not getattr(response, exempt, False) and not excluded:
                response[header] = policy
        # As django-csp: a nonce asked for after the header was written is an error, not a gap.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
