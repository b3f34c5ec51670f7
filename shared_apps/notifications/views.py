"""The notifications' public pages: a person's preferences (every host), and, for region
operators, the mail the local catcher received (the demo: what a guardian would receive)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError
from mbn_platform.kernel.parsing import query_text
from mbn_platform.kernel.permissions import ANY_MEMBER, RolesRequiredMixin
from shared_apps.notifications.forms import PreferencesForm
from shared_apps.notifications.mailcatcher import caught_mail
from shared_apps.notifications.permissions import CAUGHT_MAIL_READERS
from shared_apps.notifications.preferences import preferences_of
from shared_apps.notifications.push import push_subscription_delete, push_subscriptions_of
from shared_apps.notifications.settings_services import notification_settings_update


@method_decorator(never_cache, name="dispatch")
class PreferencesView(RolesRequiredMixin, View):
    """What to be told, by which channel, and when (the person's own)."""

    required_roles = ANY_MEMBER

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(PreferencesForm(preferences=preferences_of(user=request.user)))  # type: ignore[arg-type]

    def post(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        form = PreferencesForm(request.POST, preferences=preferences_of(user=user))
        if form.is_valid():
            try:
                notification_settings_update(
                    actor=actor_of(request),
                    user=user,
                    types=form.types(),
                    email_mode=form.cleaned_data["email_mode"],
                    quiet_start=form.cleaned_data["quiet_start"],
                    quiet_end=form.cleaned_data["quiet_end"],
                    phone=form.cleaned_data["phone"],
                )
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(request, _("Your notification preferences were saved."))
                return HttpResponseRedirect(request.path)
        return self.page(form, status=400)

    def page(self, form: PreferencesForm, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "devices": list(push_subscriptions_of(user_id=int(self.request.user.pk or 0))),
            "push_key": settings.WEB_PUSH["VAPID_PUBLIC_KEY"],
        }
        return render(self.request, "notifications/preferences.html", context, status=status)


@method_decorator(never_cache, name="dispatch")
class PushDeviceRemoveView(RolesRequiredMixin, View):
    """Stop the push notifications of one of the person's devices (from the preferences page)."""

    required_roles = ANY_MEMBER

    def post(self, request: HttpRequest, subscription_id: int) -> HttpResponse:
        push_subscription_delete(
            actor=actor_of(request),
            user=request.user,  # type: ignore[arg-type]
            subscription_id=subscription_id,
        )
        messages.success(request, _("This device will no longer receive notifications."))
        return HttpResponseRedirect("/notifications/preferences/")


@method_decorator(never_cache, name="dispatch")
class CaughtMailView(RolesRequiredMixin, View):
    """The e-mails the local mail catcher received, newest first (demo and tests only: 404 when
    no catcher is configured). ``?to=`` keeps one address's."""

    required_region_roles = CAUGHT_MAIL_READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.MAIL_CATCHER_DIR:
            raise Http404
        to = query_text(request.GET, "to", max_length=200) or ""
        found = caught_mail(Path(settings.MAIL_CATCHER_DIR), limit=100, to=to)
        return render(request, "notifications/caught_mail.html", {"mails": found, "to": to})
