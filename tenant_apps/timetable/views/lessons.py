"""The management of recurring lessons: the grid or list of a class's, a group's, a teacher's or
a room's lessons; a lesson's form (add, edit, end, delete); a one-off change of one occurrence."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError, Conflict, NotFound, ValidationFailed
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.parsing import path_date
from mbn_platform.kernel.permissions import RolesRequiredMixin
from mbn_platform.kernel.tenancy import request_access
from tenant_apps.structure.selectors import current_school_year
from tenant_apps.timetable import services
from tenant_apps.timetable.forms import (
    SCHOOL_DAYS,
    LessonChangeForm,
    LessonEndForm,
    LessonForm,
    ManageFilterForm,
)
from tenant_apps.timetable.models import Lesson
from tenant_apps.timetable.permissions import LESSON_MANAGERS, TIMETABLE_EDITORS
from tenant_apps.timetable.selectors import (
    lesson_change_of,
    lesson_grid,
    lesson_occurrence,
    lesson_participant_ids,
    lessons_for_management,
    lessons_managed,
)
from tenant_apps.timetable.views.common import manage_back, service_error, week_back


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
        year = filters.get("year") or current_school_year()
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
            "can_manage": bool(access.roles & LESSON_MANAGERS),
        }
        return render(request, self.template_name, context)


class LessonFormView(RolesRequiredMixin, View):
    """Add a lesson (``lesson_id`` None) or edit one; end or delete it (its own forms)."""

    required_roles = LESSON_MANAGERS
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
                    "week": lesson.week_set.rule if lesson.week_set.is_rule else "chosen",
                    "weeks": "" if lesson.week_set.is_rule else str(lesson.week_set),
                    "subject": lesson.subject_id,
                    "teacher": lesson.teacher_id,
                    "school_class": lesson.school_class_id,
                    "group": lesson.group_id,
                    "room": lesson.room_id,
                    "starts_on": lesson.starts_on,
                    "ends_on": lesson.ends_on,
                    **lesson_participant_ids(lesson),
                }
            else:
                keys = ("school_class", "group", "teacher", "room", "weekday", "start_time", "end_time")
                initial = {k: request.GET[k] for k in keys if request.GET.get(k)}
            form = LessonForm(initial=initial)
        context = {
            "lesson": lesson,
            "form": form,
            "end_form": end_form or LessonEndForm(prefix="end"),
            "year": lesson.year if lesson is not None else current_school_year(),
            "error": error,
            "back": request.GET.get("back") or request.POST.get("back") or "",
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, lesson_id: int | None = None) -> HttpResponse:
        return self.page(request, get_or_404(lessons_managed(), pk=lesson_id) if lesson_id else None)

    def post(self, request: HttpRequest, lesson_id: int | None = None) -> HttpResponse:
        lesson = get_or_404(lessons_managed(), pk=lesson_id) if lesson_id else None
        action = request.POST.get("action", "save")
        actor = actor_of(request)
        if lesson is not None and action == "delete":
            try:
                services.lesson_delete(actor=actor, lesson=lesson)
            except Conflict as error:
                return self.page(request, lesson, status=error.status, error=error.message)
            messages.success(request, _("The lesson was deleted."))
            return redirect(manage_back(request))
        if lesson is not None and action == "end":
            end_form = LessonEndForm(request.POST, prefix="end")
            if end_form.is_valid():
                try:
                    services.lesson_end(
                        actor=actor, lesson=lesson, last_day=end_form.cleaned_data["last_day"]
                    )
                except ApplicationError as error:
                    if error.fields.get("ends_on"):
                        error = ValidationFailed(fields={"last_day": error.fields["ends_on"]})
                    status = service_error(end_form, error)
                    return self.page(request, lesson, end_form=end_form, status=status)
                messages.success(request, _("The lesson was ended."))
                return redirect("timetable-lesson", lesson_id=lesson.pk)
            return self.page(request, lesson, end_form=end_form, status=400)
        form = LessonForm(request.POST)
        if not form.is_valid():
            return self.page(request, lesson, form=form, status=400)
        values = form.service_values()
        try:
            if lesson is None:
                year = current_school_year()
                if year is None:
                    raise ValidationFailed(_("Create the school year first."))
                lesson = services.lesson_create(actor=actor, year=year, **values)
                messages.success(request, _("The lesson was added."))
            else:
                services.lesson_update(actor=actor, lesson=lesson, **values)
                messages.success(request, _("The lesson was saved."))
        except ApplicationError as error:
            status = service_error(form, error)
            return self.page(request, lesson if lesson_id else None, form=form, status=status)
        return redirect(manage_back(request))


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
            "back": week_back(request, day),
        }
        return render(request, self.template_name, context, status=status)

    def _target(self, lesson_id: int, day: str) -> tuple[Lesson, datetime.date]:
        lesson, date = get_or_404(lessons_managed(), pk=lesson_id), path_date(day)
        if lesson_occurrence(lesson_id=lesson.pk, day=date) is None:
            raise NotFound()
        return lesson, date

    def get(self, request: HttpRequest, lesson_id: int, day: str) -> HttpResponse:
        lesson, date = self._target(lesson_id, day)
        return self.page(request, lesson, date)

    def post(self, request: HttpRequest, lesson_id: int, day: str) -> HttpResponse:
        lesson, date = self._target(lesson_id, day)
        actor = actor_of(request)
        if request.POST.get("action") == "undo":
            services.lesson_change_delete(actor=actor, lesson=lesson, date=date)
            messages.success(request, _("The change was removed: the lesson takes place as planned."))
            return redirect(week_back(request, date))
        form = LessonChangeForm(request.POST)
        if not form.is_valid():
            return self.page(request, lesson, date, form, status=400)
        try:
            services.lesson_change_set(actor=actor, lesson=lesson, date=date, **form.cleaned_data)
        except ApplicationError as error:
            return self.page(request, lesson, date, form, status=service_error(form, error))
        messages.success(request, _("The change was recorded; the people concerned are told by e-mail."))
        return redirect(week_back(request, date))
