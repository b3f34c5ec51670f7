"""The report-card pages: the home (a family's report cards of every year; the classes whose
council a person prepares; a teacher's appraisals to write), the class council's page (the
completeness of the appraisals, the council's appraisal and decision per student, the head's
publication with its progress), a teacher's appraisals of a class in a subject, and the
download. Objects a person may not see are 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError, NotFound
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.permissions import RolesRequiredMixin
from mbn_platform.kernel.tenancy import request_access
from shared_apps.identity.roles import Role
from tenant_apps.grades import selectors as grades_selectors
from tenant_apps.grades.results import class_results
from tenant_apps.reportcards import selectors, services
from tenant_apps.reportcards.models import Mention
from tenant_apps.reportcards.permissions import (
    REPORT_CARD_PUBLISHERS,
    REPORT_CARD_READERS,
    REPORT_CARD_WRITERS,
)
from tenant_apps.reportcards.serving import card_response
from tenant_apps.school.models import SchoolClass
from tenant_apps.structure.models import Period, Subject
from tenant_apps.structure.selectors import current_school_year, periods_of_year

TEACHERS = frozenset({Role.TEACHER})


def _scope(request: HttpRequest) -> tuple[int, frozenset[str]]:
    access = request_access(request)
    return access.user_id or 0, access.roles


def _periods() -> list[Period]:
    return periods_of_year(current_school_year())


class ReportCardsHomeView(RolesRequiredMixin, View):
    held_page = True  # kernel/held_pages.py
    required_roles = REPORT_CARD_READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        user_id, roles = _scope(request)
        cards = list(
            selectors.report_cards_visible(user_id=user_id, roles=roles & {Role.STUDENT, Role.GUARDIAN})[:200]
        )
        classes = list(selectors.classes_led(user_id=user_id, roles=roles))
        appraisals: list[tuple[str, str, int, int]] = []
        teacher = grades_selectors.me(user_id) if Role.TEACHER in roles else None
        if teacher is not None:
            choices = grades_selectors.teaching_choices(teacher=teacher)
            subjects = {s.pk: s.name for s in Subject.objects.filter(pk__in={c[0] for c in choices})}
            names = {c.pk: c.name for c in SchoolClass.objects.filter(pk__in={c[1] for c in choices if c[1]})}
            appraisals = sorted({(subjects[s], names[c], s, c) for s, c, _g in choices if c})
        context = {
            "cards": cards,
            "classes": classes,
            "periods": _periods(),
            "appraisals": appraisals,
            "is_publisher": bool(roles & REPORT_CARD_PUBLISHERS),
        }
        return render(request, "reportcards/home.html", context)


class ReportCardDownloadView(RolesRequiredMixin, View):
    required_roles = REPORT_CARD_READERS

    def get(self, request: HttpRequest, card_id: int) -> HttpResponseBase:
        user_id, roles = _scope(request)
        card = get_or_404(
            selectors.report_cards_visible(user_id=user_id, roles=roles, all_versions=True), pk=card_id
        )
        return card_response(card)


class CouncilView(RolesRequiredMixin, View):
    """The class council's page: one row per student (overall average, appraisals written of
    the subjects graded, the council's appraisal and decision), saved at once; the leadership
    publishes from here and follows the progress."""

    required_roles = REPORT_CARD_WRITERS

    def get_objects(self, request: HttpRequest, class_id: int, period_id: int) -> tuple[SchoolClass, Period]:
        user_id, roles = _scope(request)
        school_class = get_or_404(selectors.classes_led(user_id=user_id, roles=roles), pk=class_id)
        return school_class, get_or_404(Period, pk=period_id)

    def page(
        self, request: HttpRequest, school_class: SchoolClass, period: Period, status: int = 200
    ) -> HttpResponse:
        _user_id, roles = _scope(request)
        results = class_results(period=period, school_class=school_class, published_only=False)
        students = [r.student for r in results.values()]
        appraisals = selectors.appraisals(period=period, students=students)
        councils = selectors.council_decisions(period=period, students=students)
        rows = []
        for r in results.values():
            graded = [line for line in r.lines if line.average is not None]
            written = sum(1 for line in graded if (r.student.pk, line.subject.pk) in appraisals)
            rows.append(
                {
                    "results": r,
                    "graded": len(graded),
                    "written": written,
                    "council": councils.get(r.student.pk),
                }
            )
        context = {
            "school_class": school_class,
            "period": period,
            "rows": rows,
            "mentions": Mention.choices,
            "can_publish": bool(roles & REPORT_CARD_PUBLISHERS),
            "publication": selectors.latest_publication(period=period, school_class=school_class),
            "head_teacher": selectors.head_teacher_of(school_class),
        }
        return render(request, "reportcards/council.html", context, status=status)

    def get(self, request: HttpRequest, class_id: int, period_id: int) -> HttpResponse:
        return self.page(request, *self.get_objects(request, class_id, period_id))

    def post(self, request: HttpRequest, class_id: int, period_id: int) -> HttpResponse:
        school_class, period = self.get_objects(request, class_id, period_id)
        try:
            if request.POST.get("action") == "publish":
                services.report_cards_publish(
                    actor=actor_of(request), period=period, school_class=school_class
                )
                messages.success(request, _("The report cards are being generated."))
            else:
                for student in selectors.class_students(school_class):
                    key = f"s{student.user_id}"
                    if f"{key}-appraisal" not in request.POST:
                        continue
                    services.council_decision_set(
                        actor=actor_of(request),
                        period=period,
                        student=student,
                        appraisal=str(request.POST.get(f"{key}-appraisal", ""))[:800],
                        mention=str(request.POST.get(f"{key}-mention", ""))[:20],
                    )
                messages.success(request, _("The class council's decisions were saved."))
        except ApplicationError as error:
            messages.error(request, error.message)
            return self.page(
                request, school_class, period, status=400 if error.status == 404 else error.status
            )
        return redirect("reportcards-council", class_id=school_class.pk, period_id=period.pk)


class PublicationProgressView(RolesRequiredMixin, View):
    """The publication's progress (an HTMX fragment, polled while it runs)."""

    required_roles = REPORT_CARD_WRITERS

    def get(self, request: HttpRequest, publication_id: int) -> HttpResponse:
        user_id, roles = _scope(request)
        publication = get_or_404(
            selectors.publications_visible(user_id=user_id, roles=roles), pk=publication_id
        )
        return render(request, "reportcards/_progress.html", {"publication": publication})


class AppraisalsView(RolesRequiredMixin, View):
    """A teacher's appraisals of a class in a subject for a period: the students with their
    average, a text each, saved at once."""

    required_roles = TEACHERS

    def objects(
        self, request: HttpRequest, class_id: int, subject_id: int, period_id: int
    ) -> tuple[SchoolClass, Subject, Period]:
        user_id, _roles = _scope(request)
        teacher = grades_selectors.me(user_id)
        school_class = get_or_404(SchoolClass, pk=class_id)
        subject = get_or_404(Subject, pk=subject_id)
        if teacher is None or not grades_selectors.teaches(
            teacher=teacher, subject_id=subject.pk, class_id=school_class.pk, group_id=None
        ):
            raise NotFound()
        return school_class, subject, get_or_404(Period, pk=period_id)

    def get(self, request: HttpRequest, class_id: int, subject_id: int, period_id: int) -> HttpResponse:
        school_class, subject, period = self.objects(request, class_id, subject_id, period_id)
        results = class_results(period=period, school_class=school_class, published_only=False)
        students = [r.student for r in results.values()]
        written = selectors.appraisals(period=period, students=students)
        rows = [
            {
                "student": r.student,
                "average": next((line.average for line in r.lines if line.subject.pk == subject.pk), None),
                "text": getattr(written.get((r.student.pk, subject.pk)), "text", ""),
            }
            for r in results.values()
        ]
        context = {
            "school_class": school_class,
            "subject": subject,
            "period": period,
            "rows": rows,
            "periods": _periods(),
        }
        return render(request, "reportcards/appraisals.html", context)

    def post(self, request: HttpRequest, class_id: int, subject_id: int, period_id: int) -> HttpResponse:
        school_class, subject, period = self.objects(request, class_id, subject_id, period_id)
        try:
            for student in selectors.class_students(school_class):
                key = f"s{student.user_id}"
                if key in request.POST:
                    services.appraisal_write(
                        actor=actor_of(request),
                        period=period,
                        student=student,
                        subject=subject,
                        text=str(request.POST[key])[:600],
                    )
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect(request.path)
        messages.success(request, _("The appraisals were saved."))
        return redirect(request.path)
