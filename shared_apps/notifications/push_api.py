"""The devices that receive a person's push notifications (``/api/v1/notifications/push/…``,
every host): the platform's public key to subscribe with, the list, subscribe, remove."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DefaultPagination
from mbn_platform.kernel.permissions import ANY_MEMBER
from shared_apps.notifications.push import (
    push_subscription_delete,
    push_subscription_save,
    push_subscriptions_of,
)


class PushKeyOut(serializers.Serializer[Any]):
    public_key = serializers.CharField(
        help_text="The VAPID public key (base64url): PushManager.subscribe's applicationServerKey; "
        "empty when push notifications are off"
    )


class PushKeysIn(serializers.Serializer[Any]):
    p256dh = serializers.CharField(max_length=200)
    auth = serializers.CharField(max_length=100)


class PushSubscriptionIn(serializers.Serializer[Any]):
    endpoint = serializers.URLField(max_length=1000)
    keys = PushKeysIn()
    device = serializers.CharField(max_length=120, required=False, default="", allow_blank=True)


class PushSubscriptionOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    device = serializers.CharField()
    created_at = serializers.DateTimeField()
    last_sent_at = serializers.DateTimeField(allow_null=True)


class PushKeyApi(BaseAPIView):
    """GET: the key a browser or the app subscribes with."""

    required_roles = ANY_MEMBER

    @extend_schema(responses=PushKeyOut)
    def get(self, request: Request) -> Response:
        return Response({"public_key": settings.WEB_PUSH["VAPID_PUBLIC_KEY"]})


class PushSubscriptionListApi(BaseAPIView):
    """GET: the person's subscribed devices. POST: subscribe this device (a browser's
    ``PushSubscription.toJSON()``, and a name for it)."""

    required_roles = ANY_MEMBER
    pagination_class = DefaultPagination

    @extend_schema(responses=PushSubscriptionOut(many=True))
    def get(self, request: Request) -> Response:
        found = push_subscriptions_of(user_id=int(request.user.pk or 0))
        return self.page_response(request, found, lambda rows: PushSubscriptionOut(rows, many=True).data)

    @extend_schema(request=PushSubscriptionIn, responses={201: PushSubscriptionOut})
    def post(self, request: Request) -> Response:
        data = PushSubscriptionIn(data=request.data)
        data.is_valid(raise_exception=True)
        sent = data.validated_data
        subscription = push_subscription_save(
            actor=actor_of(request),
            user=request.user,  # type: ignore[arg-type]
            endpoint=sent["endpoint"],
            p256dh=sent["keys"]["p256dh"],
            auth=sent["keys"]["auth"],
            device=sent["device"],
        )
        return Response(PushSubscriptionOut(subscription).data, status=201)


class PushSubscriptionApi(BaseAPIView):
    """DELETE: stop sending push notifications to one of the person's devices."""

    required_roles = ANY_MEMBER

    @extend_schema(responses={204: None})
    def delete(self, request: Request, subscription_id: int) -> Response:
        push_subscription_delete(
            actor=actor_of(request),
            user=request.user,  # type: ignore[arg-type]
            subscription_id=subscription_id,
        )
        return Response(status=204)
