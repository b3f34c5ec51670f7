"""The account API, under ``/api/v1/account/`` on every host: profile, sessions, password, second
factor. Thin: one view per operation, input/output serializers, the services do the work.

Signing in itself is done by the pages (session cookie); the mobile app's token sign-in is
another endpoint (not here).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django.contrib.auth import logout
from django.http import HttpRequest
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from mbn_platform.kernel.api import BaseAPIView, DefaultPagination
from mbn_platform.kernel.permissions import ANY_MEMBER
from shared_apps.identity.auth_services import password_change, password_reset_confirm, password_reset_request
from shared_apps.identity.auth_services import second_factor_verify as second_factor_verify_service
from shared_apps.identity.models import User
from shared_apps.identity.profile import profile_update
from shared_apps.identity.second_factor import (
    recovery_codes_regenerate,
    recovery_codes_remaining,
    second_factor_required_for_account,
    session_second_factor_ok,
    totp_device_of,
    totp_provisioning,
    totp_setup_begin,
    totp_setup_confirm,
)
from shared_apps.identity.user_sessions import (
    current_session_hash,
    user_session_revoke,
    user_sessions_of,
    user_sessions_revoke_others,
)


def _django(request: Request) -> HttpRequest:
    return request._request


def _user(request: Request) -> User:
    return cast(User, request.user)


class AuthThrottled(BaseAPIView):
    """Endpoints an attacker would hammer get a tighter, per-scope rate."""

    throttle_scope = "auth"

    def get_throttles(self) -> list[Any]:
        return [*super().get_throttles(), ScopedRateThrottle()]


class ProfileApi(BaseAPIView):
    """One's own e-mail address and language (notification preferences:
    ``/api/v1/notifications/preferences/``)."""

    required_roles = ANY_MEMBER

    class ProfileOut(serializers.Serializer[object]):
        email = serializers.EmailField(allow_blank=True)
        language = serializers.CharField()

    class ProfileIn(serializers.Serializer[object]):
        email = serializers.EmailField(allow_blank=True, required=False, max_length=254)
        language = serializers.ChoiceField(choices=["fr", "en"], required=False)

    def out(self, user: User) -> Response:
        data = {"email": user.email, "language": user.language}
        return Response(self.ProfileOut(data).data)

    @extend_schema(responses=ProfileOut)
    def get(self, request: Request) -> Response:
        return self.out(_user(request))

    @extend_schema(request=ProfileIn, responses=ProfileOut)
    def patch(self, request: Request) -> Response:
        given = self.ProfileIn(data=request.data)
        given.is_valid(raise_exception=True)
        user = profile_update(request=_django(request), user=_user(request), **given.validated_data)
        return self.out(user)


class SessionOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    user_agent = serializers.CharField()
    ip_address = serializers.IPAddressField(allow_null=True)
    created_at = serializers.DateTimeField()
    last_seen_at = serializers.DateTimeField()
    current = serializers.BooleanField()


class SessionListApi(BaseAPIView):
    """One's open sessions, most recently used first."""

    required_roles = ANY_MEMBER
    pagination_class = DefaultPagination

    @extend_schema(responses=SessionOut(many=True))
    def get(self, request: Request) -> Response:
        current = current_session_hash(_django(request))

        def serialize(sessions: Sequence[Any]) -> Any:
            rows = [
                {
                    "id": s.pk,
                    "user_agent": s.user_agent,
                    "ip_address": s.ip_address,
                    "created_at": s.created_at,
                    "last_seen_at": s.last_seen_at,
                    "current": s.session_key_hash == current,
                }
                for s in sessions
            ]
            return SessionOut(rows, many=True).data

        return self.page_response(request, user_sessions_of(user=_user(request)), serialize)


class SessionRevokeApi(BaseAPIView):
    """Sign out one of one's sessions (404 for any other id)."""

    required_roles = ANY_MEMBER

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, session_id: int) -> Response:
        if user_session_revoke(request=_django(request), actor=_user(request), session_id=session_id):
            logout(_django(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class SessionsRevokeOthersApi(BaseAPIView):
    """Sign out every session but this one."""

    required_roles = ANY_MEMBER

    class RevokedOut(serializers.Serializer[object]):
        revoked = serializers.IntegerField()

    @extend_schema(request=None, responses=RevokedOut)
    def post(self, request: Request) -> Response:
        count = user_sessions_revoke_others(request=_django(request), actor=_user(request))
        return Response(self.RevokedOut({"revoked": count}).data)


class PasswordChangeApi(AuthThrottled):
    required_roles = ANY_MEMBER

    class PasswordIn(serializers.Serializer[object]):
        current_password = serializers.CharField(max_length=4096, trim_whitespace=False)
        new_password = serializers.CharField(max_length=4096, trim_whitespace=False)

    @extend_schema(request=PasswordIn, responses={204: None})
    def post(self, request: Request) -> Response:
        given = self.PasswordIn(data=request.data)
        given.is_valid(raise_exception=True)
        password_change(request=_django(request), user=_user(request), **given.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordResetApi(AuthThrottled):
    """Ask for a reset link by e-mail: 202 whether or not an account has this address."""

    allow_anonymous = True

    class ResetIn(serializers.Serializer[object]):
        email = serializers.EmailField(max_length=254)

    @extend_schema(request=ResetIn, responses={202: None})
    def post(self, request: Request) -> Response:
        given = self.ResetIn(data=request.data)
        given.is_valid(raise_exception=True)
        password_reset_request(request=_django(request), email=given.validated_data["email"])
        return Response(status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmApi(AuthThrottled):
    """Set a new password with the ``uid`` and ``token`` of a reset link."""

    allow_anonymous = True

    class ConfirmIn(serializers.Serializer[object]):
        uid = serializers.CharField(max_length=64)
        token = serializers.CharField(max_length=128)
        new_password = serializers.CharField(max_length=4096, trim_whitespace=False)

    @extend_schema(request=ConfirmIn, responses={204: None})
    def post(self, request: Request) -> Response:
        given = self.ConfirmIn(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        password_reset_confirm(
            request=_django(request),
            uidb64=data["uid"],
            token=data["token"],
            new_password=data["new_password"],
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class SecondFactorStatusApi(BaseAPIView):
    required_roles = ANY_MEMBER

    class StatusOut(serializers.Serializer[object]):
        enabled = serializers.BooleanField()
        required_for_account = serializers.BooleanField()
        session_verified = serializers.BooleanField()
        recovery_codes_remaining = serializers.IntegerField()

    @extend_schema(responses=StatusOut)
    def get(self, request: Request) -> Response:
        user = _user(request)
        enabled = totp_device_of(user=user) is not None
        data = {
            "enabled": enabled,
            "required_for_account": second_factor_required_for_account(user=user),
            "session_verified": session_second_factor_ok(session=request.session, user=user),
            "recovery_codes_remaining": recovery_codes_remaining(user=user) if enabled else 0,
        }
        return Response(self.StatusOut(data).data)


class SecondFactorSetupApi(BaseAPIView):
    """Start setting up an authenticator app: the secret to enter, or its otpauth:// URI."""

    required_roles = ANY_MEMBER

    class SetupOut(serializers.Serializer[object]):
        secret = serializers.CharField()
        otpauth_uri = serializers.CharField()

    @extend_schema(request=None, responses=SetupOut)
    def post(self, request: Request) -> Response:
        user = _user(request)
        device = totp_setup_begin(user=user, session=request.session)
        uri, _svg = totp_provisioning(device=device, user=user)
        return Response(self.SetupOut({"secret": device.pending_secret, "otpauth_uri": uri}).data)


class CodeIn(serializers.Serializer[object]):
    code = serializers.CharField(max_length=32)


class RecoveryCodesOut(serializers.Serializer[object]):
    recovery_codes = serializers.ListField(child=serializers.CharField())


class SecondFactorConfirmApi(AuthThrottled):
    """Confirm the app with a code; answers the recovery codes, shown this once only."""

    required_roles = ANY_MEMBER

    @extend_schema(request=CodeIn, responses=RecoveryCodesOut)
    def post(self, request: Request) -> Response:
        given = CodeIn(data=request.data)
        given.is_valid(raise_exception=True)
        codes = totp_setup_confirm(
            request=_django(request), user=_user(request), code=given.validated_data["code"]
        )
        return Response(RecoveryCodesOut({"recovery_codes": codes}).data)


class SecondFactorVerifyApi(AuthThrottled):
    """Verify this session with a code from the app (``totp``) or a recovery code (``recovery``)."""

    required_roles = ANY_MEMBER

    class VerifyIn(serializers.Serializer[object]):
        code = serializers.CharField(max_length=32)
        method = serializers.ChoiceField(choices=["totp", "recovery"], default="totp")

    @extend_schema(request=VerifyIn, responses={204: None})
    def post(self, request: Request) -> Response:
        given = self.VerifyIn(data=request.data)
        given.is_valid(raise_exception=True)
        second_factor_verify_service(request=_django(request), user=_user(request), **given.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RecoveryCodesApi(BaseAPIView):
    """New recovery codes (the old ones stop working)."""

    required_roles = ANY_MEMBER

    @extend_schema(request=None, responses=RecoveryCodesOut)
    def post(self, request: Request) -> Response:
        codes = recovery_codes_regenerate(request=_django(request), user=_user(request))
        return Response(RecoveryCodesOut({"recovery_codes": codes}).data)
