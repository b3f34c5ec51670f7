"""Pages of the LTI tools (``/connectors/lti-tools/``): register, change and remove the tools an
establishment (its leaders, on its host) or the region (operators, on the portal) launches."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ValidationFailed
from mbn_platform.kernel.permissions import RolesRequiredMixin
from mbn_platform.kernel.tenancy import request_access
from shared_apps.connectors import lti_services, selectors
from shared_apps.connectors.lti_api import platform_settings
from shared_apps.connectors.models import LtiTool
from shared_apps.connectors.permissions import APP_ADMIN_REGION_ROLES, APP_ADMIN_ROLES, APP_ROLE_CHOICES
from tenants.models import Establishment
from tenants.requests import current_establishment


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class LtiToolForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=255)
    login_url = forms.CharField(label=gettext_lazy("Login initiation address (OIDC)"), max_length=500)
    launch_url = forms.CharField(label=gettext_lazy("Launch address (target link URI)"), max_length=500)
    redirect_uris = forms.CharField(
        label=gettext_lazy("Redirect addresses (one a line)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    deployment_id = forms.CharField(label=gettext_lazy("Deployment id"), max_length=64, initial="1")
    jwks_url = forms.CharField(label=gettext_lazy("The tool's key set address (JWKS)"), required=False)
    public_key = forms.CharField(
        label=gettext_lazy("Or its public key (PEM)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    establishments = forms.CharField(
        label=gettext_lazy("Establishments (UAIs, one a line; none: the whole region)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    allowed_roles = forms.MultipleChoiceField(
        label=gettext_lazy("Roles that may launch it (none: every role)"),
        choices=APP_ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    share_name = forms.BooleanField(label=gettext_lazy("It receives the name"), required=False)
    share_email = forms.BooleanField(label=gettext_lazy("It receives the e-mail address"), required=False)
    roster_access = forms.BooleanField(
        label=gettext_lazy("It may read the class's list (names and roles service)"),
        required=False,
        initial=True,
    )

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("establishments")
        data["redirect_uris"] = _lines(data["redirect_uris"])
        return data


def _errors_to_form(form: forms.Form, error: ValidationFailed) -> None:
    for field, errors in (error.fields or {}).items():
        form.add_error(field if field in form.fields else None, errors)


class LtiToolsView(RolesRequiredMixin, View):
    required_roles = APP_ADMIN_ROLES
    required_region_roles = APP_ADMIN_REGION_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(LtiToolForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = LtiToolForm(request.POST)
        if not form.is_valid():
            return self.page(form, status=400)
        owner = current_establishment(request)
        uais = [u.upper() for u in _lines(form.cleaned_data["establishments"])]
        targets = list(Establishment.objects.filter(uai__in=uais)) if owner is None else []
        if owner is None and len(targets) != len(set(uais)):
            form.add_error("establishments", _("Unknown UAI."))
            return self.page(form, status=400)
        try:
            tool = lti_services.lti_tool_register(
                actor=actor_of(request), owner_establishment=owner, establishments=targets, **form.values()
            )
        except ValidationFailed as error:
            _errors_to_form(form, error)
            return self.page(form, status=400)
        return self.page(LtiToolForm(), created=tool, status=201)

    def page(self, form: LtiToolForm, status: int = 200, **extra: Any) -> HttpResponse:
        context = {
            "form": form,
            "tools": selectors.lti_tools_visible(access=request_access(self.request)),
            "on_portal": current_establishment(self.request) is None,
            "platform": platform_settings(self.request),
            **extra,
        }
        return render(self.request, "connectors/lti_tools.html", context, status=status)


class LtiToolEditView(RolesRequiredMixin, View):
    required_roles = APP_ADMIN_ROLES
    required_region_roles = APP_ADMIN_REGION_ROLES

    def get(self, request: HttpRequest, tool_id: int) -> HttpResponse:
        tool = selectors.lti_tool_visible(access=request_access(request), tool_id=tool_id)
        return self.page(tool, LtiToolForm(initial=self.initial(tool)))

    def post(self, request: HttpRequest, tool_id: int) -> HttpResponse:
        tool = selectors.lti_tool_visible(access=request_access(request), tool_id=tool_id)
        form = LtiToolForm(request.POST)
        if not form.is_valid():
            return self.page(tool, form, status=400)
        try:
            lti_services.lti_tool_update(actor=actor_of(request), tool=tool, **form.values())
        except ValidationFailed as error:
            _errors_to_form(form, error)
            return self.page(tool, form, status=400)
        messages.success(request, _("Tool saved: %(name)s.") % {"name": tool.name})
        return HttpResponseRedirect(reverse("connectors-lti-tools"))

    @staticmethod
    def initial(tool: LtiTool) -> dict[str, Any]:
        values = {key: getattr(tool, key) for key in lti_services.TOOL_FIELDS}
        values["redirect_uris"] = "\n".join(tool.redirect_uris)
        return values

    def page(self, tool: LtiTool, form: LtiToolForm, status: int = 200) -> HttpResponse:
        context = {"tool": tool, "form": form, "on_portal": False}
        return render(self.request, "connectors/lti_tool_edit.html", context, status=status)


class LtiToolRemoveView(RolesRequiredMixin, View):
    required_roles = APP_ADMIN_ROLES
    required_region_roles = APP_ADMIN_REGION_ROLES
    http_method_names = ["post"]

    def post(self, request: HttpRequest, tool_id: int) -> HttpResponse:
        tool = selectors.lti_tool_visible(access=request_access(request), tool_id=tool_id)
        name = tool.name
        lti_services.lti_tool_remove(actor=actor_of(request), tool=tool)
        messages.success(request, _("Tool removed: %(name)s.") % {"name": name})
        return HttpResponseRedirect(reverse("connectors-lti-tools"))
