"""An establishment's subdomain: what a valid one is, and the host it gives."""

from __future__ import annotations

import re

from django.conf import settings
from django.utils.translation import gettext as _

from mbn_platform.kernel.errors import ValidationFailed

SUBDOMAIN_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
RESERVED_SUBDOMAINS = frozenset({"www", "api", "admin", "static", "media", "mail", "portail", "console"})


def subdomain_validate(subdomain: str) -> str:
    value = subdomain.strip().lower()
    if not SUBDOMAIN_RE.match(value) or value in RESERVED_SUBDOMAINS:
        raise ValidationFailed(
            fields={"subdomain": [_("Use lowercase letters, digits and hyphens (not a reserved name).")]}
        )
    return value


def establishment_host(subdomain: str) -> str:
    return f"{subdomain}.{settings.MBN_BASE_DOMAIN}"
