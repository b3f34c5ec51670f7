"""The sign-in page of connected applications (OpenID Connect, the mobile app): ``/o/authorize/``.

django-oauth-toolkit's authorization view, with the platform's rules in front of it:
- a signed-in session (else the sign-in page, then back here);
- never while a support agent impersonates someone (the agent would get the person's token);
- a person who needs a second factor anywhere (a staff role in any establishment, a region role)
  gives it in this session first: no code, no token;
- the application must be open to the person (its establishments and roles, ``policy``);
- each authorisation is remembered (``AppGrant``, with whether the second factor was given), so
  the person can list and revoke it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import Application
from oauth2_provider.views import AuthorizationView

from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import PermissionDenied
from mbn_platform.kernel.permissions import ANY_MEMBER
from shared_apps.connectors.policy import app_access
from shared_apps.connectors.services import app_grant_record
from shared_apps.identity.models import User
from shared_apps.identity.second_factor import (
    second_factor_required_for_account,
    session_second_factor_ok,
    totp_device_of,
)


class AppNotAllowed(PermissionDenied):
    code = ErrorCode.APP_NOT_ALLOWED
    default_message = _("This application is not open to your account.")


class AppSignInView(AuthorizationView):
    required_roles = ANY_MEMBER
    # Also refused by ImpersonationMiddleware's rules (URL name "authorize").
    forbidden_while_impersonating = True
    template_name = "connectors/authorize.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if isinstance(user, User):
            if getattr(request, "impersonator", None) is not None:
                raise AppNotAllowed()
            if second_factor_required_for_account(user=user) and not session_second_factor_ok(
                session=request.session, user=user
            ):
                step = "second-factor-verify" if totp_device_of(user=user) else "second-factor-setup"
                target = reverse(step, urlconf=getattr(request, "urlconf", None))
                return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
            client_id = request.GET.get("client_id") or request.POST.get("client_id") or ""
            application = Application.objects.filter(client_id=client_id).select_related("connected").first()
            if application is not None and not app_access(user=user, application=application).allowed:
                raise AppNotAllowed()
        response: HttpResponse = super().dispatch(request, *args, **kwargs)
        return response

    def create_authorization_response(
        self, request: HttpRequest, scopes: Any, credentials: dict[str, Any], allow: bool
    ) -> Any:
        result = super().create_authorization_response(
            request=request, scopes=scopes, credentials=credentials, allow=allow
        )
        user = request.user
        if allow and isinstance(user, User):
            application = Application.objects.get(client_id=credentials["client_id"])
            app_grant_record(
                user=user,
                application=application,
                scope=scopes if isinstance(scopes, str) else " ".join(scopes),
                second_factor=session_second_factor_ok(session=request.session, user=user),
            )
        return result
