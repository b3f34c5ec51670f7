"""Sign-in pages (every host): sign in, second factor, sign out, password reset.

Thin: forms check the input's shape, ``auth_services``/``second_factor`` do the rest; a service's
``ApplicationError`` is shown on the form (``role="alert"``), never as a 500.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from mbn_platform.kernel.errors import ApplicationError, PermissionDenied
from mbn_platform.kernel.permissions import ANY_MEMBER, RolesRequiredMixin
from shared_apps.identity.auth_forms import (
    CodeForm,
    PasswordResetRequestForm,
    RecoveryCodeForm,
    SetPasswordForm,
    SignInForm,
)
from shared_apps.identity.auth_services import (
    password_reset_confirm,
    password_reset_request,
    password_reset_user,
    second_factor_verify,
    sign_in_password,
    sign_in_pending_user,
    sign_in_second_factor,
    sign_out,
)
from shared_apps.identity.models import User
from shared_apps.identity.second_factor import (
    second_factor_required_for_account,
    session_second_factor_ok,
    totp_device_of,
    totp_provisioning,
    totp_setup_begin,
    totp_setup_confirm,
)

RESET_SESSION_TOKEN = "mbn_password_reset_token"  # noqa: S105 (a session key's name)
RESET_URL_TOKEN = "set-password"  # noqa: S105


def next_url(request: HttpRequest, default: str = "/") -> str:
    """The same-host page to go back to (``next``), or ``default``."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _with_next(url: str, next_page: str) -> str:
    return f"{url}?{urlencode({'next': next_page})}" if next_page and next_page != "/" else url


def _after_sign_in(request: HttpRequest, user: User) -> HttpResponse:
    """Where a person lands once signed in: staff without an authenticator app set it up first."""
    target = next_url(request)
    if second_factor_required_for_account(user=user) and totp_device_of(user=user) is None:
        return HttpResponseRedirect(_with_next(reverse("second-factor-setup"), target))
    return HttpResponseRedirect(target)


@method_decorator([sensitive_post_parameters("password"), never_cache], name="dispatch")
class SignInView(RolesRequiredMixin, View):
    allow_anonymous = True
    template_name = "identity/sign_in.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            return HttpResponseRedirect(next_url(request))
        return self.page(SignInForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SignInForm(request.POST)
        if form.is_valid():
            try:
                step = sign_in_password(
                    request=request,
                    identifier=form.cleaned_data["username"],
                    password=form.cleaned_data["password"],
                )
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                if step.second_factor_needed:
                    return HttpResponseRedirect(_with_next(reverse("login-second-factor"), next_url(request)))
                return _after_sign_in(request, step.user)
        return self.page(form)

    def page(self, form: SignInForm) -> HttpResponse:
        return render(self.request, self.template_name, {"form": form, "next": next_url(self.request, "")})


@method_decorator([sensitive_post_parameters("code"), never_cache], name="dispatch")
class SecondFactorView(RolesRequiredMixin, View):
    """A code from the authenticator app, or a recovery code: second step of signing in
    (``signing_in``), or, for a person already signed in, to verify their session."""

    allow_anonymous = True
    signing_in = True

    def person(self) -> User | None:
        if self.signing_in:
            return sign_in_pending_user(request=self.request)
        user = self.request.user
        return user if isinstance(user, User) else None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        user = self.person()
        if user is None:
            return HttpResponseRedirect(_with_next(reverse("login"), next_url(request)))
        if not self.signing_in:
            if session_second_factor_ok(session=request.session, user=user):
                return HttpResponseRedirect(next_url(request))
            if totp_device_of(user=user) is None:
                return HttpResponseRedirect(_with_next(reverse("second-factor-setup"), next_url(request)))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(CodeForm(), RecoveryCodeForm(prefix="recovery"))

    def post(self, request: HttpRequest) -> HttpResponse:
        method = "recovery" if request.POST.get("method") == "recovery" else "totp"
        totp_form = CodeForm(request.POST if method == "totp" else None)
        recovery_form = RecoveryCodeForm(request.POST if method == "recovery" else None, prefix="recovery")
        form: CodeForm | RecoveryCodeForm = recovery_form if method == "recovery" else totp_form
        if form.is_valid():
            code = form.cleaned_data["code"]
            try:
                if self.signing_in:
                    sign_in_second_factor(request=request, code=code, method=method)
                else:
                    user = self.person()
                    assert user is not None  # noqa: S101 (checked in dispatch)
                    second_factor_verify(request=request, user=user, code=code, method=method)
            except ApplicationError as error:
                if error.code in ("sign_in_locked", "sign_in_expired") and self.signing_in:
                    login_form = SignInForm()
                    login_form.add_application_error(error)
                    return render(request, "identity/sign_in.html", {"form": login_form, "next": ""})
                form.add_application_error(error)
            else:
                return HttpResponseRedirect(next_url(request))
        return self.page(totp_form, recovery_form, method=method)

    def page(
        self, totp_form: CodeForm, recovery_form: RecoveryCodeForm, method: str = "totp"
    ) -> HttpResponse:
        context = {
            "totp_form": totp_form,
            "recovery_form": recovery_form,
            "method": method,
            "signing_in": self.signing_in,
            "next": next_url(self.request, ""),
        }
        return render(self.request, "identity/second_factor.html", context)


@method_decorator([sensitive_post_parameters("code"), never_cache], name="dispatch")
class SecondFactorSetupView(RolesRequiredMixin, View):
    """Set up the authenticator app: QR code and secret, confirmed with a code; then the recovery
    codes, shown once."""

    required_roles = ANY_MEMBER

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        assert isinstance(user, User)  # noqa: S101 (RolesRequiredMixin: signed in)
        if totp_device_of(user=user) is not None and request.GET.get("replace") != "1":
            return render(
                request, "identity/second_factor_setup.html", {"enabled": True, "next": next_url(request, "")}
            )
        return self.page(CodeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        assert isinstance(user, User)  # noqa: S101
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                codes = totp_setup_confirm(request=request, user=user, code=form.cleaned_data["code"])
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                return render(
                    request, "identity/recovery_codes.html", {"codes": codes, "next": next_url(request)}
                )
        return self.page(form)

    def page(self, form: CodeForm) -> HttpResponse:
        user = self.request.user
        assert isinstance(user, User)  # noqa: S101
        try:
            device = totp_setup_begin(user=user, session=self.request.session)
        except PermissionDenied:
            return HttpResponseRedirect(
                _with_next(reverse("second-factor-verify"), self.request.get_full_path())
            )
        uri, svg = totp_provisioning(device=device, user=user)
        secret = " ".join(device.pending_secret[i : i + 4] for i in range(0, len(device.pending_secret), 4))
        context = {
            "form": form,
            # segno's own SVG output: paths only, no text from the request.
            "qr_svg": mark_safe(svg),  # noqa: S308
            "secret": secret,
            "otpauth_uri": uri,
            "next": next_url(self.request, ""),
        }
        return render(self.request, "identity/second_factor_setup.html", context)


class SignOutView(RolesRequiredMixin, View):
    allow_anonymous = True

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "identity/sign_out.html")

    def post(self, request: HttpRequest) -> HttpResponse:
        sign_out(request=request)
        return HttpResponseRedirect("/")


@method_decorator(never_cache, name="dispatch")
class PasswordResetRequestView(RolesRequiredMixin, View):
    """Ask for a reset link; the answer is the same whether an account has this address or not."""

    allow_anonymous = True
    template_name = "identity/password_reset_request.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": PasswordResetRequestForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PasswordResetRequestForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        password_reset_request(request=request, email=form.cleaned_data["email"])
        return render(request, self.template_name, {"sent": True})


@method_decorator(
    [sensitive_post_parameters("new_password", "new_password_again"), never_cache], name="dispatch"
)
class PasswordResetConfirmView(RolesRequiredMixin, View):
    """The link of the e-mail. Like Django's own view, the token moves from the address to the
    session at once, so that it does not leak through the Referer header of the next page."""

    allow_anonymous = True
    template_name = "identity/password_reset_confirm.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        uidb64, token = kwargs["uidb64"], kwargs["token"]
        if token != RESET_URL_TOKEN:
            if password_reset_user(uidb64=uidb64, token=token) is None:
                return render(request, self.template_name, {"invalid": True})
            request.session[RESET_SESSION_TOKEN] = token
            return HttpResponseRedirect(reverse("password-reset-confirm", args=[uidb64, RESET_URL_TOKEN]))
        self.uidb64 = uidb64
        self.token = str(request.session.get(RESET_SESSION_TOKEN, ""))
        if password_reset_user(uidb64=uidb64, token=self.token) is None:
            return render(request, self.template_name, {"invalid": True})
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return render(request, self.template_name, {"form": SetPasswordForm()})

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        form = SetPasswordForm(request.POST)
        if form.is_valid():
            try:
                password_reset_confirm(
                    request=request,
                    uidb64=self.uidb64,
                    token=self.token,
                    new_password=form.cleaned_data["new_password"],
                )
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                request.session.pop(RESET_SESSION_TOKEN, None)
                return render(request, self.template_name, {"done": True})
        return render(request, self.template_name, {"form": form})
