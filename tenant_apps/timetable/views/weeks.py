"""Timetable pages: one's week (or a child's), a class's, a room's; the calendar feed and its page."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import NotFound
from mbn_platform.kernel.parsing import query_date
from mbn_platform.kernel.permissions import RolesRequiredMixin
from mbn_platform.kernel.tenancy import request_access
from shared_apps.identity.roles import Role
from tenant_apps.school.models import Member
from tenant_apps.timetable import services
from tenant_apps.timetable.ical import ical_feed
from tenant_apps.timetable.permissions import ROOM_READERS, TIMETABLE_EDITORS, WEEK_READERS
from tenant_apps.timetable.selectors import (
    Scope,
    children_here,
    class_for_timetable,
    merged_scope,
    personal_scopes,
    room_for_timetable,
    scope_class,
    scope_none,
    scope_room,
    week_view,
)
from tenant_apps.timetable.week_links import occurrence_links, week_day_notes
from tenants.requests import current_establishment


class _WeekPage(RolesRequiredMixin, TemplateView):
    template_name = "timetable/week.html"
    required_roles = WEEK_READERS

    def scope_and_title(self, access: Any, **kwargs: Any) -> tuple[Scope, str]:
        raise NotImplementedError

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        access = request_access(self.request)
        self.picker: dict[str, Any] = {}
        self.student: Member | None = None  # whose week it is, when a student's (notes per day)
        scope, title = self.scope_and_title(access, **kwargs)
        context.update(self.picker)
        week = week_view(scope=scope, day=query_date(self.request.GET, "date") or timezone.localdate())
        context["week"] = week
        # Each lesson with the links the apps above add to it (attendance: its register), each
        # day of a student's week with the notes they add (the homework due).
        notes = week_day_notes(
            student=self.student, start=week.monday, end=week.next - datetime.timedelta(days=1)
        )
        context["days"] = [
            (day, [(o, occurrence_links(o, access.roles)) for o in occs], notes.get(day, []))
            for day, occs in week.days
        ]
        context["title"] = title
        context["can_change"] = bool(access.roles & TIMETABLE_EDITORS)
        context["here"] = self.request.get_full_path()
        return context


class MyWeekView(_WeekPage):
    """One's own week (as a student, as a teacher) or, for a guardian, a child's: a picker lists
    the children who study here; a guardian with no timetable of their own sees their first
    child's week."""

    held_page = True  # kernel/held_pages.py

    def scope_and_title(self, access: Any, **kwargs: Any) -> tuple[Scope, str]:
        children = (
            children_here(guardian_user_id=access.user_id or 0) if Role.GUARDIAN in access.roles else []
        )
        own = personal_scopes(user_id=access.user_id or 0, roles=access.roles)
        child = self.request.GET.get("child")
        child_id = int(child) if child and child.isdigit() else None
        if child and child_id is None:
            raise NotFound()
        if child_id is None and not own and children:
            child_id = children[0].user_id
        self.picker = {"children": children, "child_id": child_id, "has_own": bool(own)}
        if child_id is None:
            if Role.STUDENT in access.roles:
                self.student = Member.objects.filter(user_id=access.user_id or 0, is_active=True).first()
            return merged_scope(own) or scope_none(), _("My timetable")
        scopes = personal_scopes(user_id=access.user_id or 0, roles=access.roles, child_user_id=child_id)
        if not scopes:
            raise NotFound()
        self.student = next(c for c in children if c.user_id == child_id)
        name = self.student.display_name
        return scopes[0], _("Timetable of %(name)s") % {"name": name}


class ClassWeekView(_WeekPage):
    def scope_and_title(self, access: Any, **kwargs: Any) -> tuple[Scope, str]:
        school_class = class_for_timetable(
            user_id=access.user_id or 0, roles=access.roles, class_id=kwargs["class_id"]
        )
        if school_class is None:
            raise NotFound()
        return scope_class(school_class), _("Timetable of %(name)s") % {"name": school_class.name}


class RoomWeekView(_WeekPage):
    required_roles = ROOM_READERS

    def scope_and_title(self, access: Any, **kwargs: Any) -> tuple[Scope, str]:
        room = room_for_timetable(roles=access.roles, room_id=kwargs["room_id"])
        if room is None:
            raise NotFound()
        return scope_room(room), _("Room %(name)s") % {"name": room.name}


class CalendarFeedPage(RolesRequiredMixin, TemplateView):
    """Make (or remake) and revoke one's secret calendar address; shown once, when made."""

    template_name = "timetable/calendar.html"
    required_roles = WEEK_READERS

    def post(self, request: HttpRequest) -> HttpResponse:
        if request.POST.get("action") == "revoke":
            services.ical_token_revoke(actor=actor_of(request), user_id=request_access(request).user_id or 0)
            return redirect("timetable-calendar")
        token = services.ical_token_create(
            actor=actor_of(request), user_id=request_access(request).user_id or 0
        )
        url = request.build_absolute_uri(f"/calendar/{token}.ics")
        return self.render_to_response(self.get_context_data(feed_url=url))


class CalendarFeedView(RolesRequiredMixin, View):
    """``/calendar/<token>.ics``: anonymous (the token is the secret); 404 unknown or revoked."""

    allow_anonymous = True

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        user_id = services.ical_token_user(token=token)
        establishment = current_establishment(request)
        name = establishment.name if establishment is not None else "MBN"
        body = ical_feed(user_id=user_id, host=request.get_host().split(":")[0], calendar_name=name)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Cache-Control"] = "private, max-age=300"
        response["X-Robots-Tag"] = "noindex"
        return response
