"""Region-scope API of identity (base domain)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.api import BaseAPIView
from mbn_platform.kernel.permissions import ANY_MEMBER
from shared_apps.identity.selectors import memberships_of
from tenants.selectors import establishment_primary_host


class MembershipOut(serializers.Serializer[object]):
    establishment = serializers.CharField()
    uai = serializers.CharField()
    host = serializers.CharField(allow_null=True)
    role = serializers.CharField()


class MeApi(BaseAPIView):
    """The signed-in person and their establishments."""

    required_roles = ANY_MEMBER

    class MeOut(serializers.Serializer[object]):
        id = serializers.IntegerField()
        login = serializers.CharField()
        display_name = serializers.CharField()
        email = serializers.EmailField(allow_blank=True)
        language = serializers.CharField()
        memberships = MembershipOut(many=True)

    @extend_schema(responses=MeOut)
    def get(self, request: Request) -> Response:
        user = request.user
        memberships = [
            {
                "establishment": m.establishment.name,
                "uai": m.establishment.uai,
                "host": establishment_primary_host(m.establishment),
                "role": m.role,
            }
            for m in memberships_of(user=user)  # type: ignore[arg-type]
        ]
        data = {
            "id": user.pk,
            "login": user.login,  # type: ignore[union-attr]
            "display_name": user.display_name,  # type: ignore[union-attr]
            "email": user.email,  # type: ignore[union-attr]
            "language": user.language,  # type: ignore[union-attr]
            "memberships": memberships,
        }
        return Response(self.MeOut(data).data)
