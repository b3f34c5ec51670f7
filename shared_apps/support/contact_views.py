"""The help page's request form (anyone, signed in or not: /help/contact/) and escalating a
request to the region (an establishment's digital referents and leaders). Thin."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.errors import ApplicationError
from mbn_platform.kernel.permissions import ANY_MEMBER, RolesRequiredMixin
from shared_apps.support.contact import support_contact_create
from shared_apps.support.forms import ContactForm, EscalateForm
from shared_apps.support.referents import support_request_escalate
from shared_apps.support.views import signed_in, visible_request
from tenants.models import Establishment
from tenants.requests import current_establishment


class ContactView(RolesRequiredMixin, View):
    """Open to anyone: "I cannot sign in" has to reach someone."""

    allow_anonymous = True
    template_name = "support/contact.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = ContactForm(establishment_known=current_establishment(request) is not None)
        return render(request, self.template_name, {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        here = current_establishment(request)
        form = ContactForm(request.POST, establishment_known=here is not None)
        if form.is_valid():
            if form.cleaned_data["website"]:  # a robot: thanked, nothing kept
                return render(request, "support/contact_sent.html")
            establishment = here
            uai = (form.cleaned_data.get("uai") or "").strip().upper()
            if establishment is None and uai:
                establishment = Establishment.objects.filter(uai=uai).first()
            try:
                support_contact_create(
                    request=request,
                    establishment=establishment,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    topic=form.cleaned_data["topic"],
                    subject=form.cleaned_data["subject"],
                    description=form.cleaned_data["description"],
                )
            except ApplicationError as error:
                form.add_application_error(error)
                return render(request, self.template_name, {"form": form}, status=error.status)
            return render(request, "support/contact_sent.html")
        return render(request, self.template_name, {"form": form}, status=400)


class SupportRequestEscalateView(RolesRequiredMixin, View):
    """Hand a request over to the region's support agents (the establishment's side)."""

    required_roles = ANY_MEMBER  # the service checks: a digital referent or a leader here
    http_method_names = ["post"]

    def post(self, request: HttpRequest, request_id: int) -> HttpResponse:
        support_request = visible_request(request, request_id)
        form = EscalateForm(request.POST)
        try:
            if not form.is_valid():
                raise ApplicationError(_("Say what was tried (10 to 2000 characters)."))
            support_request_escalate(
                actor=signed_in(request),
                support_request=support_request,
                note=form.cleaned_data["note"],
                request=request,
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The request is now with the region's support."))
        return HttpResponseRedirect(reverse("support-request-detail", args=[support_request.pk]))
