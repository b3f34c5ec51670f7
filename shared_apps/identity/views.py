"""Region portal pages (base domain)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import NotFound
from mbn_platform.kernel.parsing import query_date
from mbn_platform.kernel.permissions import ANY_MEMBER, RolesRequiredMixin
from mbn_platform.kernel.tenancy import request_access, url_on_host
from shared_apps.identity.calendar_feed import (
    calendar_feed_create,
    calendar_feed_ical,
    calendar_feed_revoke,
    calendar_feed_user,
)
from shared_apps.identity.family import family_overview
from shared_apps.identity.family_week import lessons_of
from shared_apps.identity.models import User
from shared_apps.identity.portal import portal_entries
from shared_apps.identity.public_news import portal_public_news


class PortalHomeView(RolesRequiredMixin, TemplateView):
    """The region portal: a welcome and sign-in for visitors; for a person, the entry points of
    their region roles, their establishments and, for a guardian, their children with their
    schools."""

    template_name = "identity/portal_home.html"
    allow_anonymous = True
    held_page = True  # kernel/held_pages.py (for a signed-in person)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["public_news"] = portal_public_news(request=self.request)
        context["children"] = (
            family_overview(request=self.request, guardian=user) if user.is_authenticated else []
        )
        if user.is_authenticated:
            entries = portal_entries(region_roles=request_access(self.request).region_roles)
            context["role_entries"] = [e for e in entries if e["for_role"]]
            context["everyone_entries"] = [e for e in entries if not e["for_role"]]
        return context


class PortalInboxView(RolesRequiredMixin, TemplateView):
    """Every school's messages in one inbox, each thread labelled with its school and opening on
    the school's host."""

    template_name = "identity/portal_inbox.html"
    required_roles = ANY_MEMBER

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from shared_apps.identity.portal_inbox import portal_inbox

        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["rows"] = portal_inbox(request=self.request, user=user) if isinstance(user, User) else []
        return context


class PortalWeekView(RolesRequiredMixin, TemplateView):
    """The week of a person and of their children, every school together (a guardian's family
    week): each lesson says whose it is and where."""

    template_name = "identity/portal_week.html"
    required_roles = ANY_MEMBER

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        day = query_date(self.request.GET, "date") or timezone.localdate()
        monday = day - datetime.timedelta(days=day.weekday())
        sunday = monday + datetime.timedelta(days=6)
        user = self.request.user
        lessons = lessons_of(user=user, start=monday, end=sunday) if isinstance(user, User) else []
        days = [monday + datetime.timedelta(days=i) for i in range(7)]
        context["days"] = [
            (d, [item for item in lessons if item.date == d])
            for d in days
            if d.weekday() < 5 or any(item.date == d for item in lessons)
        ]
        context["monday"] = monday
        context["previous"] = monday - datetime.timedelta(days=7)
        context["next"] = monday + datetime.timedelta(days=7)
        context["people"] = sorted({item.person for item in lessons})
        return context


class PortalCalendarView(RolesRequiredMixin, TemplateView):
    """Make (or remake) and revoke one's calendar feed address (every school, shown once)."""

    template_name = "identity/portal_calendar.html"
    required_roles = ANY_MEMBER

    def post(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not isinstance(user, User):
            raise NotFound()
        if request.POST.get("action") == "revoke":
            calendar_feed_revoke(actor=actor_of(request), user=user)
            return redirect("portal-calendar")
        token = calendar_feed_create(actor=actor_of(request), user=user)
        url = url_on_host(request, str(settings.MBN_BASE_DOMAIN), f"/calendar/{token}.ics")
        return self.render_to_response(self.get_context_data(feed_url=url))


class PortalCalendarFeedView(RolesRequiredMixin, View):
    """``/calendar/<token>.ics`` on the portal: anonymous (the token is the secret)."""

    allow_anonymous = True

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        user = calendar_feed_user(token=token)
        body = calendar_feed_ical(user=user, host=str(settings.MBN_BASE_DOMAIN))
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Cache-Control"] = "private, max-age=300"
        response["X-Robots-Tag"] = "noindex"
        return response
