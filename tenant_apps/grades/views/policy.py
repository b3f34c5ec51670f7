"""The grading policy's page (the leadership): how averages are rounded, whether assessments
rate skills of the common base, and each subject's coefficient in the overall average. The same
services as the API (``PUT /api/v1/grades/policy/``)."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError
from mbn_platform.kernel.permissions import RolesRequiredMixin
from tenant_apps.grades import selectors, services
from tenant_apps.grades.forms import PolicyForm
from tenant_apps.grades.permissions import GRADES_STAFF
from tenant_apps.structure.models import Subject


class GradingPolicyView(RolesRequiredMixin, View):
    required_roles = GRADES_STAFF

    def page(
        self, request: HttpRequest, form: PolicyForm, subjects: list[Subject], status: int = 200
    ) -> HttpResponse:
        context = {
            "form": form,
            "subject_fields": [form[f"coef_{s.pk}"] for s in subjects],
            "title": _("Grading policy"),
        }
        return render(request, "grades/policy.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        subjects = list(Subject.objects.order_by("name"))
        coefficients = selectors.subject_coefficients()
        initial = {
            "rounding": f"{selectors.rounding_step()}",
            "skills_enabled": selectors.skills_enabled(),
            **{f"coef_{s.pk}": coefficients.get(s.pk, 1) for s in subjects},
        }
        return self.page(request, PolicyForm(initial=initial, subjects=subjects), subjects)

    def post(self, request: HttpRequest) -> HttpResponse:
        subjects = list(Subject.objects.order_by("name"))
        form = PolicyForm(request.POST, subjects=subjects)
        if not form.is_valid():
            return self.page(request, form, subjects, 400)
        actor = actor_of(request)
        before = selectors.subject_coefficients()
        try:
            with transaction.atomic():
                services.grading_policy_set(
                    actor=actor,
                    rounding=form.cleaned_data["rounding"],
                    skills_enabled=form.cleaned_data["skills_enabled"],
                )
                for subject, coefficient in form.coefficients(subjects).items():
                    if coefficient != before.get(subject.pk, 1):
                        services.subject_coefficient_set(
                            actor=actor, subject=subject, coefficient=coefficient
                        )
        except ApplicationError as error:
            form.add_application_error(error)
            return self.page(request, form, subjects, 400 if error.status == 404 else error.status)
        messages.success(
            request, _("The grading policy is saved: averages are computed with it from now on.")
        )
        return redirect("grades-policy")
