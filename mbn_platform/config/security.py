"""The security headers' policies (settings.py sets them; django-csp and
django-permissions-policy send them on every response)."""

from __future__ import annotations

from typing import Any

from csp.constants import NONCE, NONE, SELF


def content_security_policy(*, base_domain: str, production: bool) -> dict[str, Any]:
    """Our own files only; the few inline scripts carry the request's nonce
    (``{{ request.csp_nonce }}``); no inline styles; forms may post to the portal or another
    school of the platform (sign-out, the switcher)."""
    platform_origins = (
        [f"https://{base_domain}", f"https://*.{base_domain}"]
        if production
        else [f"http://{base_domain}:*", f"http://*.{base_domain}:*"]
    )
    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            "script-src": [SELF, NONCE],
            "style-src": [SELF],
            "img-src": [SELF, "data:"],
            "font-src": [SELF],
            "connect-src": [SELF],
            "object-src": [NONE],
            "base-uri": [SELF],
            "frame-ancestors": [NONE],
            "form-action": [SELF, *platform_origins],
        }
    }


#: Browser features the platform never uses, denied to every page.
PERMISSIONS_POLICY_DENIED: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
