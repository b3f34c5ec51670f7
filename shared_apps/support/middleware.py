"""Makes a support agent's requests act as the person they impersonate.

Placed after ``SessionTrackingMiddleware`` and before ``MembershipMiddleware``: the session stays
the agent's own (tracked, revocable, verified with the agent's second factor), while everything
after this middleware (the membership check, roles, views, templates) sees the person:
``request.user`` is the person, ``request.impersonation`` the record, ``request.impersonator``
the agent. ``SecondFactorMiddleware`` checks the agent's session, not the person's.

Only on the impersonation's establishment host; elsewhere (the portal, other schools) the agent
is themselves. A request of an impersonation past its limit ends it (``impersonation.expired``)
and is answered "ended"; a write without a second agent's approval is refused (403
``impersonation_read_only``), as are the pages of ``rules.FORBIDDEN_URL_NAMES`` (403
``impersonation_forbidden_page``), even to read. Each request leaves one audit entry.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from mbn_platform.kernel.audit import acting_agent_var
from mbn_platform.kernel.bearer import bearer_grant_of
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import ApplicationError, PermissionDenied
from mbn_platform.kernel.middleware.errors import error_response
from mbn_platform.kernel.tenancy import access_load
from shared_apps.identity.models import User
from shared_apps.identity.second_factor import session_second_factor_ok
from shared_apps.support.impersonation import (
    ENTER_PATH,
    SESSION_KEY,
    impersonation_expire,
    impersonation_from_enter_token,
    impersonation_request_record,
    impersonation_stop,
)
from shared_apps.support.models import Impersonation, ImpersonationEnd
from shared_apps.support.rules import (
    ALWAYS_ALLOWED_URL_NAMES,
    ImpersonationForbidden,
    ImpersonationReadOnly,
    url_name_forbidden,
)
from tenants.requests import current_establishment

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
SIGN_OUT_PATH = "/accounts/logout/"


class ImpersonationEnded(PermissionDenied):
    code = ErrorCode.IMPERSONATION_ENDED


class ImpersonationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        agent = getattr(request, "user", None)
        if not isinstance(agent, User) or bearer_grant_of(request) is not None:
            # An API token's request never uses the session, so never an impersonation.
            return self.get_response(request)
        impersonation = self._impersonation_of(request, agent)
        if impersonation is None:
            return self.get_response(request)
        if impersonation.ended_at is not None:
            return self._ended(request)
        return self._as_person(request, agent, impersonation)

    # --- Which impersonation applies to this request --------------------------------------------

    def _impersonation_of(self, request: HttpRequest, agent: User) -> Impersonation | None:
        """The session's impersonation if it concerns this host (possibly ended), else None."""
        establishment = current_establishment(request)
        if establishment is None:
            return None  # the portal: the agent is themselves
        impersonation_id = request.session.get(SESSION_KEY)
        found: Impersonation | None = None
        if request.path_info == ENTER_PATH and request.GET.get("token"):
            found = impersonation_from_enter_token(token=request.GET["token"], agent=agent)
            if found is not None and found.establishment_id == establishment.pk and found.is_active:
                request.session[SESSION_KEY] = found.pk
                impersonation_id = found.pk
        if not isinstance(impersonation_id, int):
            return None
        if found is None or found.pk != impersonation_id:
            found = (
                Impersonation.objects.select_related("target", "establishment")
                .filter(pk=impersonation_id, agent=agent)
                .first()
            )
        if found is None:
            request.session.pop(SESSION_KEY, None)
            return None
        if found.establishment_id != establishment.pk:
            return None  # another school's host: the agent is themselves there
        if found.ended_at is not None:
            request.session.pop(SESSION_KEY, None)
            return found  # answered "ended" (once: the session forgets it)
        if not session_second_factor_ok(session=request.session, user=agent):
            return None  # the second-factor check then asks the agent for a code
        found.agent = agent
        return found

    # --- Acting as the person -------------------------------------------------------------------

    def _as_person(self, request: HttpRequest, agent: User, impersonation: Impersonation) -> HttpResponse:
        if not impersonation.is_active:
            impersonation_expire(impersonation=impersonation, request=request)
            request.session.pop(SESSION_KEY, None)
            return self._ended(request)
        target = impersonation.target
        # The person's roles now (cached; the membership check reuses them): someone who became
        # a region operator or a support agent since the start may not be impersonated any more.
        if (
            not target.is_active
            or target.is_staff
            or target.is_superuser
            or access_load(user_id=target.pk, establishment_id=impersonation.establishment_id).region_roles
        ):
            impersonation_stop(
                actor=agent,
                impersonation=impersonation,
                request=request,
                reason=ImpersonationEnd.TARGET_UNAVAILABLE,
            )
            return self._ended(request)
        if request.path_info == SIGN_OUT_PATH and request.method == "POST":
            # Signing out ends the impersonation; the agent is then signed out as themselves.
            impersonation_stop(
                actor=agent, impersonation=impersonation, request=request, reason=ImpersonationEnd.SIGNED_OUT
            )
            return self.get_response(request)

        request.impersonator = agent  # type: ignore[attr-defined]
        request.impersonation = impersonation  # type: ignore[attr-defined]
        request.user = impersonation.target
        token = acting_agent_var.set((agent.pk, impersonation.target_id))
        try:
            refusal = self._refusal(request, impersonation)
            response = error_response(request, refusal) if refusal else self.get_response(request)
            impersonation_request_record(
                impersonation=impersonation,
                request=request,
                status=response.status_code,
                refused=refusal.code if refusal is not None else "",
            )
            return response
        finally:
            acting_agent_var.reset(token)

    def _refusal(self, request: HttpRequest, impersonation: Impersonation) -> ApplicationError | None:
        try:
            match = resolve(request.path_info, urlconf=getattr(request, "urlconf", settings.ROOT_URLCONF))
        except Resolver404:
            match = None
        url_name = match.url_name if match is not None else None
        if url_name_forbidden(url_name, match.func if match is not None else None):
            return ImpersonationForbidden()
        if request.method in SAFE_METHODS or url_name in ALWAYS_ALLOWED_URL_NAMES:
            return None
        if impersonation.writes_allowed:
            return None
        return ImpersonationReadOnly()

    def _ended(self, request: HttpRequest) -> HttpResponse:
        return error_response(
            request,
            ImpersonationEnded(
                _("The impersonation has ended: its time limit was reached or it was stopped.")
            ),
            template="support/impersonation_ended.html",
        )
