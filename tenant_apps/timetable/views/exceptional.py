"""The management of exceptional lessons (a catch-up lesson, an exam)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError, Conflict
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.permissions import RolesRequiredMixin
from tenant_apps.timetable import services
from tenant_apps.timetable.forms import ExceptionalLessonForm
from tenant_apps.timetable.models import ExceptionalLesson
from tenant_apps.timetable.permissions import TIMETABLE_EDITORS
from tenant_apps.timetable.selectors import exceptional_lessons_between
from tenant_apps.timetable.views.common import service_error


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
            services.exceptional_lesson_create(actor=actor_of(request), **form.cleaned_data)
        except ApplicationError as error:
            return self.page(request, form, status=service_error(form, error))
        messages.success(request, _("The exceptional lesson was added."))
        return redirect("timetable-exceptional")


class ExceptionalEditView(RolesRequiredMixin, View):
    required_roles = TIMETABLE_EDITORS
    template_name = "timetable/exceptional_form.html"

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
        return self.page(request, get_or_404(exceptional_lessons_between(), pk=exceptional_id))

    def post(self, request: HttpRequest, exceptional_id: int) -> HttpResponse:
        exc = get_or_404(exceptional_lessons_between(), pk=exceptional_id)
        if request.POST.get("action") == "delete":
            try:
                services.exceptional_lesson_delete(actor=actor_of(request), exceptional=exc)
            except Conflict as error:
                return self.page(request, exc, status=error.status, error=error.message)
            messages.success(request, _("The exceptional lesson was deleted."))
            return redirect("timetable-exceptional")
        form = ExceptionalLessonForm(request.POST)
        if not form.is_valid():
            return self.page(request, exc, form, status=400)
        try:
            services.exceptional_lesson_update(actor=actor_of(request), exceptional=exc, **form.cleaned_data)
        except ApplicationError as error:
            return self.page(request, exc, form, status=service_error(form, error))
        messages.success(request, _("The exceptional lesson was saved."))
        return redirect("timetable-exceptional")
