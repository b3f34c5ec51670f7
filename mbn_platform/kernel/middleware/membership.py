"""The membership check, for every request: a signed-in user may use an establishment's pages and
API only with a role there (``EstablishmentMiddleware`` of ``tenants`` has chosen the schema)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from mbn_platform.kernel.db import tenant_db
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import PermissionDenied
from mbn_platform.kernel.logging import user_id_var
from mbn_platform.kernel.middleware.errors import error_response
from mbn_platform.kernel.sentry import sentry_tag_request
from mbn_platform.kernel.tenancy import (
    ALWAYS_OPEN_PREFIXES,
    GUEST_ROLE,
    guest_access_allows,
    request_access,
    request_establishment_id,
)


class MembershipMiddleware:
    """A signed-in user may use an establishment's pages and API only with a membership there
    (or as a guest of the paths a registered guest access allows them: ``guest_access_register``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        access = request_access(request)
        if access.user_id:
            user_id_var.set(str(access.user_id))
        sentry_tag_request(schema_name=tenant_db().schema_name, roles=access.roles | access.region_roles)
        if (
            request_establishment_id(request) is not None
            and access.user_id
            and not access.roles
            and not request.path.startswith((*ALWAYS_OPEN_PREFIXES, "/accounts/logout/"))
        ):
            if guest_access_allows(request, access.user_id):
                # A guest (e.g. of one inter-school space): this path only, the app scopes it.
                request.access = dataclasses.replace(access, roles=frozenset({GUEST_ROLE}))  # type: ignore[attr-defined]
                return self.get_response(request)
            return error_response(
                request,
                PermissionDenied(
                    _("Your account has no role in this establishment."), code=ErrorCode.NOT_A_MEMBER
                ),
                template="errors/not_a_member.html",
            )
        return self.get_response(request)
