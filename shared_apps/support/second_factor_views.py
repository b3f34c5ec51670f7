"""A support agent removes the lost authenticator of a staff member (portal,
/support/second-factor-reset/): the establishment (UAI), the person's login, how their identity
was checked, why. Thin: the rules and the audit are ``identity.second_factor_reset``'s."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError, NotFound
from mbn_platform.kernel.permissions import RolesRequiredMixin
from shared_apps.identity.auth_forms import SecondFactorResetForm
from shared_apps.identity.models import User
from shared_apps.identity.second_factor_reset import second_factor_reset
from shared_apps.support.permissions import AGENTS
from tenants.models import Establishment


class AgentSecondFactorResetForm(SecondFactorResetForm):
    uai = forms.CharField(label=gettext_lazy("Establishment (UAI)"), max_length=8)
    login = forms.CharField(label=gettext_lazy("Login of the person"), max_length=64)
    field_order = ("uai", "login", "identity_check", "reason")


class AgentSecondFactorResetView(RolesRequiredMixin, View):
    required_region_roles = AGENTS
    template_name = "support/second_factor_reset.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": AgentSecondFactorResetForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = AgentSecondFactorResetForm(request.POST)
        if form.is_valid():
            try:
                establishment = Establishment.objects.filter(
                    uai=form.cleaned_data["uai"].strip().upper()
                ).first()
                person = User.objects.filter(login=form.cleaned_data["login"].strip().lower()).first()
                if establishment is None or person is None:
                    raise NotFound(_("No staff member of this establishment has this login."))
                second_factor_reset(
                    actor=actor_of(request),
                    user=person,
                    establishment=establishment,
                    identity_check=form.cleaned_data["identity_check"],
                    reason=form.cleaned_data["reason"],
                )
            except ApplicationError as error:
                if isinstance(error, NotFound) and not error.fields:
                    error = NotFound(_("No staff member of this establishment has this login."))
                form.add_application_error(error)
            else:
                messages.success(request, _("The lost authenticator was removed."))
                return HttpResponseRedirect(reverse("support-second-factor-reset"))
        return render(request, self.template_name, {"form": form}, status=400)
