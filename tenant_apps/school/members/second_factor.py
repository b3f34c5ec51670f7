"""Resetting the lost authenticator of a staff member of the establishment (its administrators),
on its host: /members/<id>/second-factor-reset/. Thin: the rules, identity checks and audit are
``shared_apps/identity/second_factor_reset.py``'s."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError
from mbn_platform.kernel.permissions import RolesRequiredMixin
from shared_apps.identity.auth_forms import SecondFactorResetForm
from shared_apps.identity.second_factor_reset import SECOND_FACTOR_RESETTERS, second_factor_reset
from shared_apps.identity.selectors import membership_here
from tenants.requests import establishment_served


class SecondFactorResetView(RolesRequiredMixin, View):
    required_roles = SECOND_FACTOR_RESETTERS
    template_name = "school/members/second_factor_reset.html"

    def get(self, request: HttpRequest, membership_id: int) -> HttpResponse:
        membership = membership_here(establishment=establishment_served(request), membership_id=membership_id)
        return render(
            request, self.template_name, {"membership": membership, "form": SecondFactorResetForm()}
        )

    def post(self, request: HttpRequest, membership_id: int) -> HttpResponse:
        establishment = establishment_served(request)
        membership = membership_here(establishment=establishment, membership_id=membership_id)
        form = SecondFactorResetForm(request.POST)
        if form.is_valid():
            try:
                second_factor_reset(
                    actor=actor_of(request),
                    user=membership.user,
                    establishment=establishment,
                    identity_check=form.cleaned_data["identity_check"],
                    reason=form.cleaned_data["reason"],
                )
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(
                    request,
                    _(
                        "The authenticator of %(name)s was removed: they set up a new one at their "
                        "next sign-in."
                    )
                    % {"name": membership.user.display_name},
                )
                return HttpResponseRedirect(reverse("members-detail", args=[membership.pk]))
        context = {"membership": membership, "form": form}
        return render(request, self.template_name, context, status=400)
