"""Identity fields are never writable while a support agent impersonates the person.

E-mail address, login, password, second factor, recovery codes and sessions decide who holds the
account: an agent acting as someone (even with a second agent's approval to change things) must
not be able to take it over, e.g. by changing the e-mail address and then asking for a password
reset. The support pages keep these pages out of reach (``shared_apps/support/rules.py``); the
services refuse too, whatever the page or API that calls them (``acting_agent_var`` is set by the
impersonation middleware for the whole request).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.audit import acting_agent_var
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import PermissionDenied


class IdentityLocked(PermissionDenied):
    code = ErrorCode.IDENTITY_LOCKED
    default_message = _(
        "The e-mail address, login, password, second factor, recovery codes and sessions of an "
        "account cannot be changed while impersonating it, even with approval."
    )


def identity_locked() -> bool:
    """Whether this request is made by a support agent acting as someone."""
    return acting_agent_var.get() is not None


def identity_write_check() -> None:
    """Refuse a change of identity fields while impersonating (approval or not)."""
    if identity_locked():
        raise IdentityLocked()
