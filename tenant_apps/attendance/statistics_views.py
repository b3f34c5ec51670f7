"""Statistics pages: a class over a period (school-life staff, the head, the class's teachers),
a student's absences and lateness (whoever may see the student; "My attendance" for a student)."""

from __future__ import annotations

from typing import Any

from django.views.generic import TemplateView

from mbn_platform.kernel.errors import NotFound
from mbn_platform.kernel.permissions import RolesRequiredMixin
from mbn_platform.kernel.tenancy import request_access
from tenant_apps.attendance import statistics
from tenant_apps.attendance.permissions import STATISTICS_READERS, STUDENT_PAGE_READERS, STUDENTS
from tenant_apps.school.models import Member


class ClassStatisticsView(RolesRequiredMixin, TemplateView):
    """Pick a class and a period (default: the current one): per student, justified and
    unjustified half-days, lateness and its minutes, and the class's totals."""

    template_name = "attendance/statistics.html"
    required_roles = STATISTICS_READERS

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        access = request_access(self.request)
        classes = list(statistics.classes_for_statistics(user_id=access.user_id or 0, roles=access.roles))
        periods = statistics.periods()
        span = statistics.span_for(choices=periods, period_id=self.request.GET.get("period") or None)
        class_id = self.request.GET.get("class") or ""
        chosen = next((c for c in classes if str(c.pk) == class_id), None)
        if class_id and chosen is None:
            raise NotFound()
        if chosen is None and len(classes) == 1:
            chosen = classes[0]
        context.update(
            classes=classes,
            periods=periods,
            span=span,
            school_class=chosen,
            table=statistics.class_statistics_table(school_class=chosen, span=span) if chosen else None,
        )
        return context


class StudentAttendanceView(RolesRequiredMixin, TemplateView):
    """A student's absences and lateness over a period, with the same counts."""

    template_name = "attendance/student.html"
    required_roles = STUDENT_PAGE_READERS

    def student(self) -> Member:
        access = request_access(self.request)
        found = (
            statistics.students_for_statistics(user_id=access.user_id or 0, roles=access.roles)
            .filter(user_id=self.kwargs["user_id"])
            .first()
        )
        if found is None:
            raise NotFound()
        return found

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        student = self.student()
        periods = statistics.periods()
        span = statistics.span_for(choices=periods, period_id=self.request.GET.get("period") or None)
        access = request_access(self.request)
        context.update(
            student=student,
            mine=student.user_id == access.user_id,
            periods=periods,
            span=span,
            counts=statistics.student_counts(students=[student], span=span)[student.pk],
            marks=statistics.student_marks(student=student, span=span),
        )
        return context


class MyAttendanceView(StudentAttendanceView):
    """A student's own page ("My attendance")."""

    held_page = True  # kernel/held_pages.py

    required_roles = STUDENTS

    def student(self) -> Member:
        self.kwargs["user_id"] = request_access(self.request).user_id or 0
        return super().student()
