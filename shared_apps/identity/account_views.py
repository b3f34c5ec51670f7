"""The person's own account pages (every host): profile, sessions, password, recovery codes.

For a staff or region account these pages need a verified session (``SecondFactorMiddleware``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from mbn_platform.kernel.errors import ApplicationError
from mbn_platform.kernel.permissions import ANY_MEMBER, RolesRequiredMixin
from shared_apps.identity.auth_forms import PasswordChangeForm, ProfileForm
from shared_apps.identity.auth_services import password_change
from shared_apps.identity.locks import identity_locked
from shared_apps.identity.models import User
from shared_apps.identity.profile import profile_update
from shared_apps.identity.second_factor import (
    recovery_codes_regenerate,
    recovery_codes_remaining,
    totp_device_of,
)
from shared_apps.identity.user_sessions import (
    current_session_hash,
    user_session_revoke,
    user_sessions_of,
    user_sessions_revoke_others,
)


class AccountPage(RolesRequiredMixin, View):
    """Any signed-in person, for their own account."""

    section = ""

    @property
    def user(self) -> User:
        user = self.request.user
        assert isinstance(user, User)  # noqa: S101 (RolesRequiredMixin: signed in)
        return user

    def render_page(self, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
        return render(self.request, template, {"section": self.section, **context}, status=status)


@method_decorator(never_cache, name="dispatch")
class ProfileView(AccountPage):
    required_roles = ANY_MEMBER

    section = "profile"
    template_name = "identity/account_profile.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(self.form())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid():
            try:
                profile_update(
                    request=request,
                    user=self.user,
                    email=form.cleaned_data["email"],
                    language=form.cleaned_data["language"],
                )
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(request, _("Your profile was saved."))
                response = HttpResponseRedirect(reverse("account"))
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    self.user.language,
                    max_age=settings.LANGUAGE_COOKIE_AGE,
                    domain=settings.LANGUAGE_COOKIE_DOMAIN,
                    secure=settings.SESSION_COOKIE_SECURE,
                    samesite="Lax",
                )
                return response
        return self.page(form)

    def form(self, data: Any = None) -> ProfileForm:
        user = self.user
        return ProfileForm(
            data,
            initial={"email": user.email, "language": user.language},
            email_locked=identity_locked(),
        )

    def page(self, form: ProfileForm) -> HttpResponse:
        user = self.user
        device = totp_device_of(user=user)
        return self.render_page(
            self.template_name,
            {
                "form": form,
                "totp_enabled": device is not None,
                "recovery_remaining": recovery_codes_remaining(user=user) if device else 0,
            },
        )


@method_decorator(never_cache, name="dispatch")
class SessionsView(AccountPage):
    required_roles = ANY_MEMBER

    section = "sessions"

    def get(self, request: HttpRequest) -> HttpResponse:
        current = current_session_hash(request)
        sessions = [
            {"row": row, "current": row.session_key_hash == current}
            for row in user_sessions_of(user=self.user)
        ]
        return self.render_page("identity/account_sessions.html", {"sessions": sessions})


class SessionRevokeView(AccountPage):
    required_roles = ANY_MEMBER

    http_method_names = ["post"]

    def post(self, request: HttpRequest, session_id: int) -> HttpResponse:
        was_current = user_session_revoke(request=request, actor=self.user, session_id=session_id)
        if was_current:
            logout(request)
            return HttpResponseRedirect("/")
        messages.success(request, _("The session was signed out."))
        return HttpResponseRedirect(reverse("account-sessions"))


class SessionsRevokeOthersView(AccountPage):
    required_roles = ANY_MEMBER

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        count = user_sessions_revoke_others(request=request, actor=self.user)
        messages.success(request, _("Other sessions signed out: %(count)d.") % {"count": count})
        return HttpResponseRedirect(reverse("account-sessions"))


@method_decorator(
    [sensitive_post_parameters("current_password", "new_password", "new_password_again"), never_cache],
    name="dispatch",
)
class PasswordChangeView(AccountPage):
    required_roles = ANY_MEMBER

    section = "password"
    template_name = "identity/account_password.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(self.template_name, {"form": PasswordChangeForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PasswordChangeForm(request.POST)
        if form.is_valid():
            try:
                password_change(
                    request=request,
                    user=self.user,
                    current_password=form.cleaned_data["current_password"],
                    new_password=form.cleaned_data["new_password"],
                )
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(
                    request, _("Your password was changed. Your other sessions were signed out.")
                )
                return HttpResponseRedirect(reverse("account-password"))
        return self.render_page(self.template_name, {"form": form})


@method_decorator(never_cache, name="dispatch")
class RecoveryCodesView(AccountPage):
    required_roles = ANY_MEMBER

    section = "security"
    template_name = "identity/account_recovery_codes.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        enabled = totp_device_of(user=self.user) is not None
        remaining = recovery_codes_remaining(user=self.user) if enabled else 0
        return self.render_page(self.template_name, {"enabled": enabled, "remaining": remaining})

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            codes = recovery_codes_regenerate(request=request, user=self.user)
        except ApplicationError as error:
            enabled = totp_device_of(user=self.user) is not None
            return self.render_page(
                self.template_name,
                {"error": error, "enabled": enabled, "remaining": None},
                status=error.status,
            )
        return render(request, "identity/recovery_codes.html", {"codes": codes, "next": reverse("account")})
