"""The grades pages: the home (a teacher's assessments, the leadership's, a family's students),
a new assessment, the teacher's grid (keyboard navigation, a column pasted from a spreadsheet)
and a student's grades and averages of a period. Objects a person may not see are 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError, NotFound, ValidationFailed
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.parsing import query_int
from mbn_platform.kernel.permissions import RolesRequiredMixin
from mbn_platform.kernel.tenancy import request_access
from shared_apps.identity.roles import Role
from tenant_apps.grades import selectors, services
from tenant_apps.grades.forms import AssessmentForm, PublicationForm
from tenant_apps.grades.models import MARK_SHORT, Assessment, SkillLevel
from tenant_apps.grades.permissions import GRADE_WRITERS, GRADES_FAMILY, GRADES_READERS, GRADES_STAFF
from tenant_apps.grades.results import class_results
from tenant_apps.school.models import SchoolClass
from tenant_apps.structure.models import Group, Period, Subject
from tenant_apps.structure.selectors import current_school_year, period_of, periods_of_year

RECENT = 100


def _scope(request: HttpRequest) -> tuple[int, frozenset[str]]:
    access = request_access(request)
    return access.user_id or 0, access.roles


def cell_text(grade: Any) -> str:
    if grade is None:
        return ""
    return MARK_SHORT[grade.mark] if grade.mark else f"{grade.value:.2f}".replace(".", ",")


class GradesHomeView(RolesRequiredMixin, View):
    held_page = True  # kernel/held_pages.py
    required_roles = GRADES_READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        user_id, roles = _scope(request)
        mine = roles & (GRADE_WRITERS | GRADES_STAFF)
        assessments = (
            list(
                selectors.assessments_visible(user_id=user_id, roles=roles & (GRADE_WRITERS | GRADES_STAFF))[
                    :RECENT
                ]
            )
            if mine
            else []
        )
        spreads = selectors.assessment_spreads(assessments)
        students = selectors.students_visible(user_id=user_id, roles=roles)
        if not mine and len(students) == 1 and Role.GUARDIAN not in roles:
            return student_page(request, students[0], family=True)
        context = {
            "can_write": bool(roles & GRADE_WRITERS),
            "is_staff": bool(roles & GRADES_STAFF),
            "assessments": [(a, spreads.get(a.pk)) for a in assessments],
            "students": students,
            "today": timezone.localdate(),
        }
        return render(request, "grades/home.html", context)


def _targets(user_id: int) -> list[tuple[str, str]]:
    teacher = selectors.me(user_id)
    if teacher is None:
        return []
    choices = selectors.teaching_choices(teacher=teacher)
    subjects = {s.pk: s.name for s in Subject.objects.filter(pk__in={c[0] for c in choices})}
    classes = {c.pk: c.name for c in SchoolClass.objects.filter(pk__in={c[1] for c in choices if c[1]})}
    groups = {g.pk: g.name for g in Group.objects.filter(pk__in={c[2] for c in choices if c[2]})}
    return [
        (f"{s}:{c or 0}:{g or 0}", f"{subjects[s]} — {classes[c] if c else groups[g]}")  # type: ignore[index]
        for s, c, g in choices
    ]


def _periods() -> Any:
    year = current_school_year()
    return Period.objects.filter(year=year) if year else Period.objects.none()


class AssessmentNewView(RolesRequiredMixin, View):
    required_roles = GRADE_WRITERS

    def form(self, request: HttpRequest, data: Any = None) -> AssessmentForm:
        user_id, _roles = _scope(request)
        today = timezone.localdate()
        current = period_of(today)
        initial = {"date": today, "period": current.pk if current else None}
        return AssessmentForm(data, targets=_targets(user_id), periods=_periods(), initial=initial)

    def page(self, request: HttpRequest, form: AssessmentForm, status: int = 200) -> HttpResponse:
        return render(
            request, "grades/form.html", {"form": form, "title": _("New assessment")}, status=status
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request, self.form(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form(request, request.POST)
        if not form.is_valid():
            return self.page(request, form, 400)
        data = form.cleaned_data
        subject_id, class_id, group_id = (int(part) for part in data.pop("target").split(":"))
        try:
            assessment = services.assessment_create(
                actor=actor_of(request),
                subject=Subject.objects.get(pk=subject_id),
                school_class=SchoolClass.objects.filter(pk=class_id).first(),
                group=Group.objects.filter(pk=group_id).first(),
                **data,
            )
        except ApplicationError as error:
            form.add_application_error(error)
            return self.page(request, form, 400 if error.status == 404 else error.status)
        messages.success(request, _("The assessment was created: enter its grades."))
        return redirect("grades-assessment", assessment_id=assessment.pk)


class AssessmentGridView(RolesRequiredMixin, View):
    """The grid: one row per student, one cell each (a value or Abs, Disp, NN, NR), saved at
    once; the arrow keys and Enter move between cells, a column pasted in a cell fills the cells
    below it (``grades/js/grid.js``)."""

    required_roles = GRADE_WRITERS | GRADES_STAFF

    def assessment(self, request: HttpRequest, assessment_id: int) -> Assessment:
        user_id, roles = _scope(request)
        visible = selectors.assessments_visible(user_id=user_id, roles=roles & (GRADE_WRITERS | GRADES_STAFF))
        return get_or_404(visible, pk=assessment_id)

    def page(
        self,
        request: HttpRequest,
        assessment: Assessment,
        *,
        typed: dict[str, str] | None = None,
        errors: dict[str, list[str]] | None = None,
        publication: PublicationForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        user_id, _roles = _scope(request)
        grades = {g.student_id: g for g in assessment.grades.all()}
        rated = {(r.student_id, r.domain): r.level for r in assessment.skill_ratings.all()}
        rows = [
            {
                "student": s,
                "name": f"student_{s.user_id}",
                "text": (typed or {}).get(f"student_{s.user_id}", cell_text(grades.get(s.pk))),
                "errors": (errors or {}).get(f"student_{s.user_id}", []),
                "skills": [
                    (d, f"skill_{s.user_id}_{d}", rated.get((s.pk, d))) for d in assessment.skill_domains
                ],
            }
            for s in selectors.roster(assessment)
        ]
        context = {
            "assessment": assessment,
            "rows": rows,
            "levels": SkillLevel.choices,
            "errors": errors,
            "spread": selectors.assessment_spreads([assessment]).get(assessment.pk),
            "editable": assessment.teacher.user_id == user_id,
            "publication": publication or PublicationForm(initial={"published_on": assessment.published_on}),
        }
        return render(request, "grades/grid.html", context, status=status)

    def get(self, request: HttpRequest, assessment_id: int) -> HttpResponse:
        return self.page(request, self.assessment(request, assessment_id))

    def post(self, request: HttpRequest, assessment_id: int) -> HttpResponse:
        assessment = self.assessment(request, assessment_id)
        if request.POST.get("action") == "publish":
            form = PublicationForm(request.POST)
            if not form.is_valid():
                return self.page(request, assessment, publication=form, status=400)
            try:
                services.assessment_update(
                    actor=actor_of(request),
                    assessment=assessment,
                    published_on=form.cleaned_data["published_on"],
                )
            except ApplicationError as error:
                form.add_application_error(error)
                return self.page(
                    request, assessment, publication=form, status=400 if error.status == 404 else error.status
                )
            messages.success(request, _("The publication date was saved."))
            return redirect("grades-assessment", assessment_id=assessment.pk)
        typed = {
            f"student_{s.user_id}": str(request.POST.get(f"student_{s.user_id}", ""))[:40]
            for s in selectors.roster(assessment)
        }
        cells = {
            int(name.removeprefix("student_")): text for name, text in typed.items() if name in request.POST
        }
        ratings: dict[int, dict[str, int | None]] = {}
        for s in selectors.roster(assessment):
            for domain in assessment.skill_domains:
                value = str(request.POST.get(f"skill_{s.user_id}_{domain}", ""))
                if f"skill_{s.user_id}_{domain}" in request.POST:
                    ratings.setdefault(s.user_id, {})[domain] = (
                        int(value) if value in {"1", "2", "3", "4"} else None
                    )
        try:
            changed = services.grades_enter(actor=actor_of(request), assessment=assessment, cells=cells)
            if ratings:
                services.skills_rate(actor=actor_of(request), assessment=assessment, ratings=ratings)
        except ValidationFailed as error:
            return self.page(request, assessment, typed=typed, errors=error.fields, status=400)
        messages.success(request, _("%(count)d grades saved.") % {"count": changed})
        return redirect("grades-assessment", assessment_id=assessment.pk)


class StudentGradesView(RolesRequiredMixin, View):
    """A student's grades of a period (published ones for the family), each with the class's
    average, minimum and maximum, and the student's averages per subject and overall."""

    required_roles = GRADES_FAMILY | GRADES_STAFF

    def get(self, request: HttpRequest, student_user_id: int) -> HttpResponse:
        user_id, roles = _scope(request)
        student = selectors.student_for(user_id=user_id, roles=roles, student_user_id=student_user_id)
        if student is None:
            raise NotFound()
        return student_page(request, student, family=not roles & GRADES_STAFF)


def student_page(request: HttpRequest, student: Any, *, family: bool) -> HttpResponse:
    """A student's grades and averages of the period chosen (``?period=``, by default today's)."""
    periods = periods_of_year(current_school_year())
    chosen = query_int(request.GET, "period")
    current = period_of(timezone.localdate())
    period = (
        next((p for p in periods if p.pk == chosen), None) or current or (periods[-1] if periods else None)
    )
    rows = selectors.student_grades(student, period_id=period.pk if period else None, published_only=family)
    results = None
    if period is not None and student.school_class is not None:
        results = class_results(period=period, school_class=student.school_class, published_only=family).get(
            student.pk
        )
    skills = selectors.skills_summary(student, period_id=period.pk if period else None, published_only=family)
    context = {
        "student": student,
        "periods": periods,
        "period": period,
        "rows": rows,
        "results": results,
        "skills": skills,
    }
    return render(request, "grades/student.html", context)
