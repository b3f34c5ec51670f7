"""Timetable pages: one's week (or a child's), a class's, a room's; the calendar feed and its page."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from mbn_platform.kernel.errors import ApplicationError, Conflict, NotFound, ValidationFailed
from mbn_platform.kernel.forms import AccessibleForm
from mbn_platform.kernel.permissions import RolesRequiredMixin
from mbn_platform.kernel.tenancy import request_access
from tenant_apps.structure.permissions import (
    EVERYONE,
    REGISTER_TAKERS,
    STAFF,
    STRUCTURE_MANAGERS,
    TIMETABLE_EDITORS,
    acting_user_id,
)
from tenant_apps.timetable import services
from tenant_apps.timetable.api import parse_day
from tenant_apps.timetable.forms import (
    SCHOOL_DAYS,
    ExceptionalLessonForm,
    HolidayForm,
    LessonChangeForm,
    LessonEndForm,
    LessonForm,
    ManageFilterForm,
)
from tenant_apps.timetable.ical import ical_feed
from tenant_apps.timetable.models import ExceptionalLesson, Holiday, Lesson
from tenant_apps.timetable.selectors import (
    LESSON_RELATED,
    Scope,
    children_here,
    class_for_timetable,
    current_year,
    exceptional_lessons_between,
    holidays_list,
    lesson_change_of,
    lesson_grid,
    lesson_occurrence,
    lessons_for_management,
    merged_scope,
    personal_scopes,
    room_for_timetable,
    scope_class,
    scope_room,
    week_view,
)
from tenants.requests import current_establishment


class _WeekPage(RolesRequiredMixin, TemplateView):
    template_name = "timetable/week.html"
    required_roles = EVERYONE

    def scope_and_title(self, access: Any, **kwargs: Any) -> tuple[Scope, str]:
        raise NotImplementedError

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        access = request_access(self.request)
        scope, title = self.scope_and_title(access, **kwargs)
        context["week"] = week_view(scope=scope, day=parse_day(self.request.GET.get("date")))
        context["title"] = title
        context["can_take_registers"] = bool(access.roles & REGISTER_TAKERS)
        context["can_change"] = bool(access.roles & TIMETABLE_EDITORS)
        context["here"] = self.request.get_full_path()
        return context


class MyWeekView(_WeekPage):
    def scope_and_title(self, access: Any, **kwargs: Any) -> tuple[Scope, str]:
        from django.db.models import Q

        child = self.request.GET.get("child")
        child_id = int(child) if child and child.isdigit() else None
        scopes = personal_scopes(user_id=access.user_id or 0, roles=access.roles, child_user_id=child_id)
        if child and not scopes:
            raise NotFound()
        self.extra_context = {
            "children": children_here(guardian_user_id=access.user_id) if "guardian" in access.roles else [],
            "child_id": child_id,
        }
        scope = merged_scope(scopes) or Scope(lessons=Q(pk__in=[]), exceptional=Q(pk__in=[]))
        return scope, _("My timetable")


class ClassWeekView(_WeekPage):
    def scope_and_title(self, access: Any, **kwargs: Any) -> tuple[Scope, str]:
        school_class = class_for_timetable(
            user_id=access.user_id or 0, roles=access.roles, class_id=kwargs["class_id"]
        )
        if school_class is None:
            raise NotFound()
        return scope_class(school_class), _("Timetable of %(name)s") % {"name": school_class.name}


class RoomWeekView(_WeekPage):
    required_roles = STAFF

    def scope_and_title(self, access: Any, **kwargs: Any) -> tuple[Scope, str]:
        room = room_for_timetable(roles=access.roles, room_id=kwargs["room_id"])
        if room is None:
            raise NotFound()
        return scope_room(room), _("Room %(name)s") % {"name": room.name}


class CalendarFeedPage(RolesRequiredMixin, TemplateView):
    """Make (or remake) and revoke one's secret calendar address; shown once, when made."""

    template_name = "timetable/calendar.html"
    required_roles = EVERYONE

    def post(self, request: HttpRequest) -> HttpResponse:
        if request.POST.get("action") == "revoke":
            services.ical_token_revoke(user_id=acting_user_id(request))
            return redirect("timetable-calendar")
        token = services.ical_token_create(user_id=acting_user_id(request))
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


# --- Management: lessons, holidays, exceptional lessons, one-off changes ------------------------


def _service_error(form: AccessibleForm, error: ApplicationError) -> int:
    """Show a service's error on the form; the page's status (400, or the error's own: 409)."""
    form.add_application_error(error)
    return error.status if error.status != 404 else 400


def _lesson_or_404(lesson_id: int) -> Lesson:
    lesson = Lesson.objects.select_related(*LESSON_RELATED).filter(pk=lesson_id).first()
    if lesson is None:
        raise NotFound()
    return lesson


def _day_or_404(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise NotFound() from exc


class ManageView(RolesRequiredMixin, View):
    """``/timetable/manage/``: the lessons of a class, a group, a teacher or a room as a weekly
    grid or a list (structure managers add, edit, end, delete them); links to the holidays and
    to the exceptional lessons."""

    required_roles = TIMETABLE_EDITORS
    template_name = "timetable/manage.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        access = request_access(request)
        form = ManageFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        year = filters.get("year") or current_year()
        chosen = {k: filters.get(k) for k in ("school_class", "group", "teacher", "room")}
        lessons: list[Lesson] = []
        if any(chosen.values()):
            lessons = list(
                lessons_for_management(
                    year=year,
                    school_class_id=chosen["school_class"].pk if chosen["school_class"] else None,
                    group_id=chosen["group"].pk if chosen["group"] else None,
                    teacher_id=chosen["teacher"].pk if chosen["teacher"] else None,
                    room_id=chosen["room"].pk if chosen["room"] else None,
                )
            )
        view = filters.get("view") or "grid"
        context = {
            "form": form,
            "year": year,
            "lessons": lessons,
            "grid": lesson_grid(lessons) if view == "grid" else [],
            "weekdays": SCHOOL_DAYS,
            "view": view,
            "chosen": any(chosen.values()),
            "query": request.GET.urlencode(),
            "can_manage": bool(access.roles & STRUCTURE_MANAGERS),
        }
        return render(request, self.template_name, context)


class LessonFormView(RolesRequiredMixin, View):
    """Add a lesson (``lesson_id`` None) or edit one; end or delete it (its own forms)."""

    required_roles = STRUCTURE_MANAGERS
    template_name = "timetable/lesson_form.html"

    def page(
        self,
        request: HttpRequest,
        lesson: Lesson | None,
        *,
        form: LessonForm | None = None,
        end_form: LessonEndForm | None = None,
        status: int = 200,
        error: str = "",
    ) -> HttpResponse:
        if form is None:
            if lesson is not None:
                initial: dict[str, Any] = {
                    "weekday": lesson.weekday,
                    "start_time": lesson.start_time,
                    "end_time": lesson.end_time,
                    "week": lesson.week,
                    "subject": lesson.subject_id,
                    "teacher": lesson.teacher_id,
                    "school_class": lesson.school_class_id,
                    "group": lesson.group_id,
                    "room": lesson.room_id,
                    "starts_on": lesson.starts_on,
                    "ends_on": lesson.ends_on,
                }
            else:
                keys = ("school_class", "group", "teacher", "room", "weekday", "start_time", "end_time")
                initial = {k: request.GET[k] for k in keys if request.GET.get(k)}
            form = LessonForm(initial=initial)
        context = {
            "lesson": lesson,
            "form": form,
            "end_form": end_form or LessonEndForm(prefix="end"),
            "year": lesson.year if lesson is not None else current_year(),
            "error": error,
            "back": request.GET.get("back") or request.POST.get("back") or "",
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, lesson_id: int | None = None) -> HttpResponse:
        return self.page(request, _lesson_or_404(lesson_id) if lesson_id else None)

    def post(self, request: HttpRequest, lesson_id: int | None = None) -> HttpResponse:
        lesson = _lesson_or_404(lesson_id) if lesson_id else None
        action = request.POST.get("action", "save")
        actor_id = acting_user_id(request)
        if lesson is not None and action == "delete":
            try:
                services.lesson_delete(actor_id=actor_id, lesson=lesson)
            except Conflict as error:
                return self.page(request, lesson, status=error.status, error=error.message)
            messages.success(request, _("The lesson was deleted."))
            return redirect(_back(request))
        if lesson is not None and action == "end":
            end_form = LessonEndForm(request.POST, prefix="end")
            if end_form.is_valid():
                try:
                    services.lesson_end(
                        actor_id=actor_id, lesson=lesson, last_day=end_form.cleaned_data["last_day"]
                    )
                except ApplicationError as error:
                    if error.fields.get("ends_on"):
                        error = ValidationFailed(fields={"last_day": error.fields["ends_on"]})
                    status = _service_error(end_form, error)
                    return self.page(request, lesson, end_form=end_form, status=status)
                messages.success(request, _("The lesson was ended."))
                return redirect("timetable-lesson", lesson_id=lesson.pk)
            return self.page(request, lesson, end_form=end_form, status=400)
        form = LessonForm(request.POST)
        if not form.is_valid():
            return self.page(request, lesson, form=form, status=400)
        data = form.cleaned_data
        values: dict[str, Any] = {k: data[k] for k in LessonForm.field_order}
        try:
            if lesson is None:
                year = current_year()
                if year is None:
                    raise ValidationFailed(_("Create the school year first."))
                lesson = services.lesson_create(actor_id=actor_id, year=year, **values)
                messages.success(request, _("The lesson was added."))
            else:
                services.lesson_update(actor_id=actor_id, lesson=lesson, **values)
                messages.success(request, _("The lesson was saved."))
        except ApplicationError as error:
            status = _service_error(form, error)
            return self.page(request, lesson if lesson_id else None, form=form, status=status)
        return redirect(_back(request))


def _local_back(request: HttpRequest, *, under: str, default: str) -> str:
    """Where to go after a save: the page the person came from when it is a local path under
    ``under`` (never another host), else ``default``."""
    back = request.POST.get("back") or request.GET.get("back") or ""
    if back.startswith(under) and "//" not in back and "\\" not in back:
        return back
    return default


def _back(request: HttpRequest) -> str:
    """The management page the person came from."""
    manage = reverse("timetable-manage")
    return _local_back(request, under=manage, default=manage)


class HolidayListView(RolesRequiredMixin, View):
    """The holidays of the school year, and a form to add some."""

    required_roles = STRUCTURE_MANAGERS
    template_name = "timetable/holidays.html"

    def page(self, request: HttpRequest, form: HolidayForm | None = None, status: int = 200) -> HttpResponse:
        year = current_year()
        context = {
            "year": year,
            "holidays": list(holidays_list(year=year)),
            "form": form or HolidayForm(),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = HolidayForm(request.POST)
        if not form.is_valid():
            return self.page(request, form, status=400)
        try:
            services.holiday_create(actor_id=acting_user_id(request), **form.cleaned_data)
        except ApplicationError as error:
            return self.page(request, form, status=_service_error(form, error))
        messages.success(request, _("The holidays were added."))
        return redirect("timetable-holidays")


class HolidayEditView(RolesRequiredMixin, View):
    required_roles = STRUCTURE_MANAGERS
    template_name = "timetable/holiday_form.html"

    def _holiday(self, holiday_id: int) -> Holiday:
        holiday = Holiday.objects.filter(pk=holiday_id).first()
        if holiday is None:
            raise NotFound()
        return holiday

    def get(self, request: HttpRequest, holiday_id: int) -> HttpResponse:
        holiday = self._holiday(holiday_id)
        form = HolidayForm(initial={"name": holiday.name, "start": holiday.start, "end": holiday.end})
        return render(request, self.template_name, {"holiday": holiday, "form": form})

    def post(self, request: HttpRequest, holiday_id: int) -> HttpResponse:
        holiday = self._holiday(holiday_id)
        if request.POST.get("action") == "delete":
            services.holiday_delete(actor_id=acting_user_id(request), holiday=holiday)
            messages.success(request, _("The holidays were deleted."))
            return redirect("timetable-holidays")
        form = HolidayForm(request.POST)
        if form.is_valid():
            try:
                services.holiday_update(
                    actor_id=acting_user_id(request), holiday=holiday, **form.cleaned_data
                )
            except ApplicationError as error:
                status = _service_error(form, error)
                return render(request, self.template_name, {"holiday": holiday, "form": form}, status=status)
            messages.success(request, _("The holidays were saved."))
            return redirect("timetable-holidays")
        return render(request, self.template_name, {"holiday": holiday, "form": form}, status=400)


class ExceptionalListView(RolesRequiredMixin, View):
    """Upcoming exceptional lessons (a catch-up lesson, an exam) and a form to add one."""

    required_roles = TIMETABLE_EDITORS
    template_name = "timetable/exceptional_list.html"
    LIMIT = 200

    def page(
        self, request: HttpRequest, form: ExceptionalLessonForm | None = None, status: int = 200
    ) -> HttpResponse:
        today = timezone.localdate()
        found = list(exceptional_lessons_between(start=today)[: self.LIMIT + 1])
        context = {
            "exceptional_lessons": found[: self.LIMIT],
            "more": len(found) > self.LIMIT,
            "form": form or ExceptionalLessonForm(initial={"date": request.GET.get("date") or None}),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ExceptionalLessonForm(request.POST)
        if not form.is_valid():
            return self.page(request, form, status=400)
        try:
            services.exceptional_lesson_create(actor_id=acting_user_id(request), **form.cleaned_data)
        except ApplicationError as error:
            return self.page(request, form, status=_service_error(form, error))
        messages.success(request, _("The exceptional lesson was added."))
        return redirect("timetable-exceptional")


class ExceptionalEditView(RolesRequiredMixin, View):
    required_roles = TIMETABLE_EDITORS
    template_name = "timetable/exceptional_form.html"

    def _exceptional(self, exceptional_id: int) -> ExceptionalLesson:
        found = exceptional_lessons_between().filter(pk=exceptional_id).first()
        if found is None:
            raise NotFound()
        return found

    def page(
        self,
        request: HttpRequest,
        exc: ExceptionalLesson,
        form: ExceptionalLessonForm | None = None,
        status: int = 200,
        error: str = "",
    ) -> HttpResponse:
        if form is None:
            form = ExceptionalLessonForm(
                initial={
                    "date": exc.date,
                    "start_time": exc.start_time,
                    "end_time": exc.end_time,
                    "subject": exc.subject_id,
                    "teacher": exc.teacher_id,
                    "school_class": exc.school_class_id,
                    "group": exc.group_id,
                    "room": exc.room_id,
                    "note": exc.note,
                }
            )
        context = {"exceptional": exc, "form": form, "error": error}
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, exceptional_id: int) -> HttpResponse:
        return self.page(request, self._exceptional(exceptional_id))

    def post(self, request: HttpRequest, exceptional_id: int) -> HttpResponse:
        exc = self._exceptional(exceptional_id)
        if request.POST.get("action") == "delete":
            try:
                services.exceptional_lesson_delete(actor_id=acting_user_id(request), exceptional=exc)
            except Conflict as error:
                return self.page(request, exc, status=error.status, error=error.message)
            messages.success(request, _("The exceptional lesson was deleted."))
            return redirect("timetable-exceptional")
        form = ExceptionalLessonForm(request.POST)
        if not form.is_valid():
            return self.page(request, exc, form, status=400)
        try:
            services.exceptional_lesson_update(
                actor_id=acting_user_id(request), exceptional=exc, **form.cleaned_data
            )
        except ApplicationError as error:
            return self.page(request, exc, form, status=_service_error(form, error))
        messages.success(request, _("The exceptional lesson was saved."))
        return redirect("timetable-exceptional")


class LessonChangeView(RolesRequiredMixin, View):
    """``/timetable/lessons/<id>/<date>/change/``: record a one-off change of one occurrence
    (cancel, move, another room, a replacement teacher, a note), or undo it. The people
    concerned are e-mailed either way."""

    required_roles = TIMETABLE_EDITORS
    template_name = "timetable/change.html"

    def page(
        self,
        request: HttpRequest,
        lesson: Lesson,
        day: datetime.date,
        form: LessonChangeForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        change = lesson_change_of(lesson_id=lesson.pk, day=day)
        if form is None:
            initial: dict[str, Any] = {}
            if change is not None:
                initial = {
                    "cancelled": change.cancelled,
                    "new_date": change.new_date,
                    "new_start_time": change.new_start_time,
                    "new_end_time": change.new_end_time,
                    "new_room": change.new_room_id,
                    "replacement_teacher": change.replacement_teacher_id,
                    "note": change.note,
                }
            form = LessonChangeForm(initial=initial)
        context = {
            "lesson": lesson,
            "day": day,
            "change": change,
            "form": form,
            "back": _week_back(request, day),
        }
        return render(request, self.template_name, context, status=status)

    def _target(self, lesson_id: int, day: str) -> tuple[Lesson, datetime.date]:
        lesson, date = _lesson_or_404(lesson_id), _day_or_404(day)
        if lesson_occurrence(lesson_id=lesson.pk, day=date) is None:
            raise NotFound()
        return lesson, date

    def get(self, request: HttpRequest, lesson_id: int, day: str) -> HttpResponse:
        lesson, date = self._target(lesson_id, day)
        return self.page(request, lesson, date)

    def post(self, request: HttpRequest, lesson_id: int, day: str) -> HttpResponse:
        lesson, date = self._target(lesson_id, day)
        actor_id = acting_user_id(request)
        if request.POST.get("action") == "undo":
            services.lesson_change_delete(actor_id=actor_id, lesson=lesson, date=date)
            messages.success(request, _("The change was removed: the lesson takes place as planned."))
            return redirect(_week_back(request, date))
        form = LessonChangeForm(request.POST)
        if not form.is_valid():
            return self.page(request, lesson, date, form, status=400)
        try:
            services.lesson_change_set(actor_id=actor_id, lesson=lesson, date=date, **form.cleaned_data)
        except ApplicationError as error:
            return self.page(request, lesson, date, form, status=_service_error(form, error))
        messages.success(request, _("The change was recorded; the people concerned are told by e-mail."))
        return redirect(_week_back(request, date))


def _week_back(request: HttpRequest, day: datetime.date) -> str:
    """The week page the person came from (a local timetable path), else their week of ``day``."""
    return _local_back(
        request, under="/timetable/", default=f"{reverse('timetable-week')}?date={day.isoformat()}"
    )
