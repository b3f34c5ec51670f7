"""Pages: the person's connected applications (``/accounts/connected-apps/``) and the register of
applications (``/connectors/apps/``: an establishment's leaders on its host, operators on the
portal)."""

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
from oauth2_provider.models import Application

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ValidationFailed
from mbn_platform.kernel.permissions import ANY_MEMBER, RolesRequiredMixin
from mbn_platform.kernel.tenancy import request_access
from shared_apps.connectors import selectors, services
from shared_apps.connectors.permissions import APP_ADMIN_REGION_ROLES, APP_ADMIN_ROLES, APP_ROLE_CHOICES
from shared_apps.identity.account_views import AccountPage
from tenants.models import Establishment
from tenants.requests import current_establishment


class ConnectedAppsView(AccountPage):
    required_roles = ANY_MEMBER
    section = "connected-apps"

    def get(self, request: HttpRequest) -> HttpResponse:
        grants = selectors.app_grants_of(user_id=self.user.pk)
        return self.render_page("connectors/account_connected_apps.html", {"grants": grants})


class ConnectedAppRevokeView(AccountPage):
    required_roles = ANY_MEMBER
    http_method_names = ["post"]

    def post(self, request: HttpRequest, grant_id: int) -> HttpResponse:
        grant = selectors.app_grant_of(user_id=self.user.pk, grant_id=grant_id)
        services.app_grant_revoke(actor=actor_of(request), grant=grant)
        messages.success(request, _("Access revoked: %(name)s.") % {"name": grant.application.name})
        return HttpResponseRedirect(reverse("account-connected-apps"))


class AppForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=255)
    redirect_uris = forms.CharField(
        label=gettext_lazy("Redirect addresses (one a line)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    client_type = forms.ChoiceField(
        label=gettext_lazy("Kind of application"),
        choices=[
            (Application.CLIENT_CONFIDENTIAL, gettext_lazy("A server (confidential, with a secret)")),
            (Application.CLIENT_PUBLIC, gettext_lazy("A mobile or desktop app (public, PKCE)")),
        ],
    )
    establishments = forms.CharField(
        label=gettext_lazy("Establishments (UAIs, one a line; none: the whole region)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    allowed_roles = forms.MultipleChoiceField(
        label=gettext_lazy("Roles that may use it (none: every role)"),
        choices=APP_ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    share_name = forms.BooleanField(label=gettext_lazy("It receives the name"), required=False)
    share_email = forms.BooleanField(label=gettext_lazy("It receives the e-mail address"), required=False)
    requires_consent = forms.BooleanField(
        label=gettext_lazy("Ask each person's consent"), required=False, initial=True
    )
    launch_url = forms.CharField(
        label=gettext_lazy("Address that opens it from the resources page (optional)"),
        required=False,
        max_length=500,
    )


class AppsAdminView(RolesRequiredMixin, View):
    required_roles = APP_ADMIN_ROLES
    required_region_roles = APP_ADMIN_REGION_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(AppForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = AppForm(request.POST)
        if not form.is_valid():
            return self.page(form, status=400)
        data = form.cleaned_data
        owner = current_establishment(request)
        uais = [line.strip().upper() for line in data["establishments"].splitlines() if line.strip()]
        targets = list(Establishment.objects.filter(uai__in=uais)) if owner is None else []
        if owner is None and len(targets) != len(set(uais)):
            form.add_error("establishments", _("Unknown UAI."))
            return self.page(form, status=400)
        try:
            connected, secret = services.connected_app_register(
                actor=actor_of(request),
                name=data["name"],
                redirect_uris=[line.strip() for line in data["redirect_uris"].splitlines() if line.strip()],
                client_type=data["client_type"],
                owner_establishment=owner,
                establishments=targets,
                allowed_roles=data["allowed_roles"],
                share_name=data["share_name"],
                share_email=data["share_email"],
                requires_consent=data["requires_consent"],
                launch_url=data["launch_url"],
            )
        except ValidationFailed as error:
            for field, errors in (error.fields or {}).items():
                form.add_error(field if field in form.fields else None, errors)
            return self.page(form, status=400)
        return self.page(AppForm(), created=connected, secret=secret, status=201)

    def page(self, form: AppForm, status: int = 200, **extra: Any) -> HttpResponse:
        apps = selectors.connected_apps_visible(access=request_access(self.request))
        context = {
            "form": form,
            "apps": apps,
            "on_portal": current_establishment(self.request) is None,
            **extra,
        }
        return render(self.request, "connectors/apps_admin.html", context, status=status)


class AppDisableView(RolesRequiredMixin, View):
    required_roles = APP_ADMIN_ROLES
    required_region_roles = APP_ADMIN_REGION_ROLES
    http_method_names = ["post"]

    def post(self, request: HttpRequest, app_id: int) -> HttpResponse:
        connected = selectors.connected_app_visible(access=request_access(request), app_id=app_id)
        services.connected_app_disable(actor=actor_of(request), connected=connected)
        messages.success(request, _("Application stopped: %(name)s.") % {"name": connected.application.name})
        return HttpResponseRedirect(reverse("connectors-apps"))
