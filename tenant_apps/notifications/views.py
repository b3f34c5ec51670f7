"""The notification centre page (every host: the person's notifications of all their
establishments, each with its school), mark read, mark all read."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from mbn_platform.kernel.permissions import ANY_MEMBER, RolesRequiredMixin
from tenant_apps.notifications.centre import (
    centre_entries,
    notification_mark_read,
    notifications_mark_all_read,
    unread_total,
)


@method_decorator(never_cache, name="dispatch")
class CentreView(RolesRequiredMixin, View):
    required_roles = ANY_MEMBER

    def get(self, request: HttpRequest) -> HttpResponse:
        user_id = int(request.user.pk or 0)
        unread_only = request.GET.get("unread", "") == "1"
        entries = centre_entries(request=request, user_id=user_id, unread_only=unread_only)
        context = {"entries": entries, "unread_only": unread_only, "unread": unread_total(user_id)}
        return render(request, "notifications/centre.html", context)


class MarkReadView(RolesRequiredMixin, View):
    required_roles = ANY_MEMBER

    def post(self, request: HttpRequest, key: str) -> HttpResponse:
        notification_mark_read(user_id=int(request.user.pk or 0), key=key)
        return HttpResponseRedirect("/notifications/")


class MarkAllReadView(RolesRequiredMixin, View):
    required_roles = ANY_MEMBER

    def post(self, request: HttpRequest) -> HttpResponse:
        notifications_mark_all_read(user_id=int(request.user.pk or 0))
        return HttpResponseRedirect("/notifications/")
