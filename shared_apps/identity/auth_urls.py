"""Sign-in and account routes, the same on every host (included by both URLconfs).

``urlpatterns``: the pages under ``/accounts/``; ``api_urlpatterns``: mounted at
``/api/v1/account/``. The second-factor middleware keeps the sign-in steps open
(``shared_apps/identity/middleware.py``, ``OPEN_PREFIXES``): keep the paths in step with it.
"""

from __future__ import annotations

from django.urls import URLPattern, path
from django.views.generic import RedirectView

from shared_apps.identity import account_views, auth_api, auth_views

urlpatterns: list[URLPattern] = [
    path("accounts/login/", auth_views.SignInView.as_view(), name="login"),
    path(
        "accounts/login/second-factor/",
        auth_views.SecondFactorView.as_view(signing_in=True),
        name="login-second-factor",
    ),
    path("accounts/logout/", auth_views.SignOutView.as_view(), name="logout"),
    path(
        "accounts/second-factor/",
        auth_views.SecondFactorView.as_view(signing_in=False),
        name="second-factor-verify",
    ),
    path(
        "accounts/second-factor/setup/",
        auth_views.SecondFactorSetupView.as_view(),
        name="second-factor-setup",
    ),
    path("accounts/password-reset/", auth_views.PasswordResetRequestView.as_view(), name="password-reset"),
    path(
        "accounts/password-reset/<str:uidb64>/<str:token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("accounts/", account_views.ProfileView.as_view(), name="account"),
    path("accounts/sessions/", account_views.SessionsView.as_view(), name="account-sessions"),
    path(
        "accounts/sessions/<int:session_id>/sign-out/",
        account_views.SessionRevokeView.as_view(),
        name="account-session-revoke",
    ),
    path(
        "accounts/sessions/sign-out-others/",
        account_views.SessionsRevokeOthersView.as_view(),
        name="account-sessions-revoke-others",
    ),
    path("accounts/password/", account_views.PasswordChangeView.as_view(), name="account-password"),
    path(
        "accounts/recovery-codes/", account_views.RecoveryCodesView.as_view(), name="account-recovery-codes"
    ),
    # The admin site's own sign-in form would skip the lockout and the second factor.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
]

api_urlpatterns: list[URLPattern] = [
    path("profile/", auth_api.ProfileApi.as_view(), name="api-account-profile"),
    path("sessions/", auth_api.SessionListApi.as_view(), name="api-account-sessions"),
    path("sessions/<int:session_id>/", auth_api.SessionRevokeApi.as_view(), name="api-account-session"),
    path(
        "sessions/revoke-others/",
        auth_api.SessionsRevokeOthersApi.as_view(),
        name="api-account-sessions-revoke-others",
    ),
    path("password/", auth_api.PasswordChangeApi.as_view(), name="api-account-password"),
    path("password-reset/", auth_api.PasswordResetApi.as_view(), name="api-account-password-reset"),
    path(
        "password-reset/confirm/",
        auth_api.PasswordResetConfirmApi.as_view(),
        name="api-account-password-reset-confirm",
    ),
    path("second-factor/", auth_api.SecondFactorStatusApi.as_view(), name="api-account-second-factor"),
    path(
        "second-factor/setup/",
        auth_api.SecondFactorSetupApi.as_view(),
        name="api-account-second-factor-setup",
    ),
    path(
        "second-factor/confirm/",
        auth_api.SecondFactorConfirmApi.as_view(),
        name="api-account-second-factor-confirm",
    ),
    path(
        "second-factor/verify/",
        auth_api.SecondFactorVerifyApi.as_view(),
        name="api-account-second-factor-verify",
    ),
    path("recovery-codes/", auth_api.RecoveryCodesApi.as_view(), name="api-account-recovery-codes"),
]
