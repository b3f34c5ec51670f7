"""Forms of the sign-in and account pages: input shape only (the rules are in the services).

``AccessibleForm`` marks invalid fields with ``aria-invalid`` and points them at their error text
(``aria-describedby``), which the templates render with ids ``<field id>-error``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.forms import AccessibleForm
from shared_apps.identity.models import User


def _text(label: Any, autocomplete: str, **attrs: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=256,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": autocomplete, **attrs}),
    )


def _password(label: Any, autocomplete: str, **attrs: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete, **attrs}),
    )


class SignInForm(AccessibleForm):
    username = _text(_("Login or e-mail address"), "username", autofocus="autofocus", spellcheck="false")
    password = _password(_("Password"), "current-password")


class CodeForm(AccessibleForm):
    code = _text(
        _("6-digit code from your authenticator app"),
        "one-time-code",
        inputmode="numeric",
        pattern="[0-9 ]*",
        autofocus="autofocus",
    )


class RecoveryCodeForm(AccessibleForm):
    code = _text(_("Recovery code"), "off", spellcheck="false")


class PasswordChangeForm(AccessibleForm):
    current_password = _password(_("Current password"), "current-password")
    new_password = _password(_("New password"), "new-password")
    new_password_again = _password(_("New password, again"), "new-password")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password") and data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("The two passwords are not the same."))
        return data


class SetPasswordForm(AccessibleForm):
    new_password = _password(_("New password"), "new-password", autofocus="autofocus")
    new_password_again = _password(_("New password, again"), "new-password")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password") and data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("The two passwords are not the same."))
        return data


class PasswordResetRequestForm(AccessibleForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": "autofocus"}),
    )


class ProfileForm(AccessibleForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=list(User._meta.get_field("language").choices or [])
    )

    def __init__(self, *args: Any, email_locked: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if email_locked:  # impersonating: shown, never changed (``identity.locks``)
            self.fields["email"].disabled = True
            self.fields["email"].help_text = _("It cannot be changed while impersonating.")


class SecondFactorResetForm(AccessibleForm):
    """Removing a staff member's lost authenticator: how their identity was checked, and why."""

    identity_check = forms.ChoiceField(
        label=_("How did you check who is asking?"), choices=[], widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason (at least 10 characters)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from shared_apps.identity.second_factor_reset import IdentityCheck

        super().__init__(*args, **kwargs)
        self.fields["identity_check"].choices = IdentityCheck.choices  # type: ignore[attr-defined]
