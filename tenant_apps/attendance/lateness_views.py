"""The late-arrival desk of school-life staff: pick the class, then the student, then the lesson
of today they arrive in and the minutes (``services.late_arrival_record`` says what it does to
the register, taken or not)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.collation import sorted_french
from mbn_platform.kernel.errors import ApplicationError, NotFound
from mbn_platform.kernel.forms import AccessibleForm
from mbn_platform.kernel.permissions import RolesRequiredMixin
from tenant_apps.attendance import selectors, services
from tenant_apps.attendance.permissions import ATTENDANCE_STAFF
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.timetable.occurrences import Occurrence


class LateArrivalForm(AccessibleForm):
    occurrence = forms.ChoiceField(label=gettext_lazy("Lesson"), widget=forms.RadioSelect)
    minutes = forms.IntegerField(
        label=gettext_lazy("Minutes late"),
        min_value=1,
        max_value=240,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, lessons: list[Occurrence], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lessons = {o.key: o for o in lessons}
        self.fields["occurrence"].choices = [  # type: ignore[attr-defined]
            (o.key, f"{o.start:%H:%M}-{o.end:%H:%M} {o.subject} · {o.teacher}") for o in lessons
        ]


class LatenessView(RolesRequiredMixin, TemplateView):
    template_name = "attendance/lateness.html"
    required_roles = ATTENDANCE_STAFF

    def _selection(self, data: Any) -> tuple[SchoolClass | None, Member | None]:
        class_id, student_id = data.get("class") or "", data.get("student") or ""
        school_class = None
        if class_id:
            school_class = SchoolClass.objects.filter(pk=class_id).first() if class_id.isdigit() else None
            if school_class is None:
                raise NotFound()
        student = None
        if student_id:
            student = (
                selectors.class_students_now(school_class=school_class).filter(user_id=student_id).first()
                if student_id.isdigit() and school_class is not None
                else None
            )
            if student is None:
                raise NotFound()
        return school_class, student

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        school_class, student = kwargs.get("selection") or self._selection(self.request.GET)
        context.update(
            classes=list(SchoolClass.objects.order_by("name")),
            school_class=school_class,
            student=student,
            students=sorted_french(
                selectors.class_students_now(school_class=school_class), key=lambda m: m.display_name
            )
            if school_class is not None
            else [],
            recorded=selectors.late_arrivals_on(day=timezone.localdate()),
        )
        if student is not None and "form" not in context:
            context["form"] = LateArrivalForm(lessons=selectors.lessons_today(student=student))
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        school_class, student = self._selection(request.POST)
        if school_class is None or student is None:
            raise NotFound()
        form = LateArrivalForm(request.POST, lessons=selectors.lessons_today(student=student))
        if form.is_valid():
            try:
                services.late_arrival_record(
                    actor=actor_of(request),
                    student=student,
                    occurrence=form.lessons[form.cleaned_data["occurrence"]],
                    minutes=form.cleaned_data["minutes"],
                )
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(
                    request, _("Late arrival of %(name)s recorded.") % {"name": student.display_name}
                )
                return redirect(f"{reverse('attendance-lateness')}?class={school_class.pk}")
        context = self.get_context_data(selection=(school_class, student), form=form)
        return self.render_to_response(context, status=400)
