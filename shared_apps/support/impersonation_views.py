"""Pages of impersonation: starting it (portal), entering and stopping it (the establishment's
host), approving writes (portal), and who impersonated whom (the person's and the establishment's
own pages)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import ApplicationError, NotFound, ValidationFailed
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.permissions import ANY_MEMBER, RolesRequiredMixin
from mbn_platform.kernel.tenancy import url_on_host
from shared_apps.identity.models import User
from shared_apps.support.forms import ApprovalForm, ImpersonationStartForm
from shared_apps.support.impersonation import (
    ENTER_PATH,
    impersonation_enter_token,
    impersonation_start,
    impersonation_stop,
    impersonation_write_approve,
)
from shared_apps.support.models import Impersonation, SupportRequest
from shared_apps.support.permissions import AGENTS, ESTABLISHMENT_SUPPORT_MANAGERS
from shared_apps.support.selectors import (
    impersonation_views,
    impersonations_active,
    impersonations_of_establishment,
    impersonations_of_person,
)
from shared_apps.support.views import signed_in
from tenants.models import Establishment
from tenants.requests import current_establishment
from tenants.selectors import establishment_primary_host


def portal_url(request: HttpRequest, path: str) -> str:
    return url_on_host(request, str(settings.MBN_BASE_DOMAIN), path)


def establishment_url(request: HttpRequest, establishment: Establishment, path: str) -> str:
    return url_on_host(request, str(establishment_primary_host(establishment)), path)


class ImpersonationStartView(RolesRequiredMixin, View):
    """Portal: start impersonating a person, from a support request or with a written reason."""

    required_region_roles = AGENTS

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {"support_request": request.GET.get("request", "")}
        return self.page(request, ImpersonationStartForm(initial=initial))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImpersonationStartForm(request.POST)
        if not form.is_valid():
            return self.page(request, form, status=400)
        try:
            target, establishment, support_request = self._subject(form.cleaned_data)
            impersonation = impersonation_start(
                actor=signed_in(request),
                target=target,
                establishment=establishment,
                support_request=support_request,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ApplicationError as error:
            form.add_application_error(error)
            return self.page(request, form, status=error.status)
        token = impersonation_enter_token(impersonation=impersonation)
        return HttpResponseRedirect(
            establishment_url(request, establishment, f"{ENTER_PATH}?{urlencode({'token': token})}")
        )

    def _subject(self, data: dict[str, Any]) -> tuple[User, Establishment, SupportRequest | None]:
        """(person, establishment, request): from the support request, or from the UAI and login."""
        if data.get("support_request"):
            support_request = get_or_404(
                SupportRequest.objects.select_related(
                    "requester", "on_behalf_of", "establishment"
                ).prefetch_related("establishment__domains"),
                pk=data["support_request"],
            )
            person = support_request.person
            if support_request.establishment is None or person is None:
                raise ValidationFailed(
                    _("This request was not made in an establishment: there is nobody to impersonate there."),
                    code=ErrorCode.INVALID_REQUEST,
                )
            return person, support_request.establishment, support_request
        establishment = (
            Establishment.objects.prefetch_related("domains")
            .filter(uai=(data.get("uai") or "").upper())
            .first()
        )
        if establishment is None:
            raise ValidationFailed(fields={"uai": [_("No establishment has this UAI.")]})
        target = User.objects.filter(login=(data.get("login") or "").strip().lower()).first()
        if target is None:
            raise ValidationFailed(fields={"login": [_("No account has this login.")]})
        return target, establishment, None

    def page(self, request: HttpRequest, form: ImpersonationStartForm, status: int = 200) -> HttpResponse:
        return render(request, "support/impersonation_start.html", {"form": form}, status=status)


class ImpersonationEnterView(RolesRequiredMixin, View):
    """The establishment's host: the link the portal sends the agent to.

    The middleware has bound the session to the impersonation already (the request acts as the
    person); here the agent only lands on the home page. Someone not signed in (the demo's
    host-only cookies) is asked to sign in first, as the agent.
    """

    allow_anonymous = True

    def get(self, request: HttpRequest) -> HttpResponse:
        if getattr(request, "impersonation", None) is not None:
            return HttpResponseRedirect("/")
        if not request.user.is_authenticated:
            return HttpResponseRedirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
        raise NotFound()


class ImpersonationStopView(RolesRequiredMixin, View):
    """The establishment's host: the banner's Stop button (allowed in read-only mode). The request
    acts as the person, a member: the agent is ``request.impersonator``."""

    required_roles = ANY_MEMBER

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        impersonation: Impersonation | None = getattr(request, "impersonation", None)
        agent = getattr(request, "impersonator", None)
        if impersonation is None or agent is None:
            raise NotFound()
        impersonation_stop(actor=agent, impersonation=impersonation, request=request)
        request.user = agent
        if impersonation.support_request_id:
            back = reverse("support-request-detail", args=[impersonation.support_request_id])
        else:
            back = "/support/queue/"
        return HttpResponseRedirect(portal_url(request, back))


class ImpersonationAgentStopView(RolesRequiredMixin, View):
    """Portal: the agent stops their impersonation from the queue."""

    required_region_roles = AGENTS
    http_method_names = ["post"]

    def post(self, request: HttpRequest, impersonation_id: int) -> HttpResponse:
        agent = signed_in(request)
        impersonation = get_or_404(Impersonation, pk=impersonation_id, agent_id=agent.pk)
        impersonation_stop(actor=agent, impersonation=impersonation, request=request)
        messages.success(request, _("The impersonation is stopped."))
        return HttpResponseRedirect(reverse("support-queue"))


class ImpersonationApproveView(RolesRequiredMixin, View):
    """Portal: a second support agent allows writes during a colleague's impersonation."""

    required_region_roles = AGENTS
    http_method_names = ["post"]

    def post(self, request: HttpRequest, impersonation_id: int) -> HttpResponse:
        impersonation = get_or_404(impersonations_active(), pk=impersonation_id)
        form = ApprovalForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationFailed(fields=form.errors)
            impersonation_write_approve(
                actor=signed_in(request),
                impersonation=impersonation,
                reason=form.cleaned_data["reason"],
                request=request,
            )
            messages.success(request, _("Write access is approved."))
        except ApplicationError as error:
            messages.error(
                request, " ".join([error.message, *[m for ms in error.fields.values() for m in ms]])
            )
        return HttpResponseRedirect(reverse("support-queue"))


# --- Who impersonated whom ------------------------------------------------------------------------


def _history(request: HttpRequest, queryset: QuerySet[Impersonation], template: str) -> HttpResponse:
    page = Paginator(queryset, 20).get_page(request.GET.get("page"))
    items = list(page)
    views = impersonation_views(impersonations=items)
    rows = [{"item": item, "views": views.get(item.pk)} for item in items]
    return render(request, template, {"page": page, "rows": rows})


class AccountImpersonationsView(RolesRequiredMixin, View):
    """Every host: the impersonations of one's own account."""

    required_roles = ANY_MEMBER

    def get(self, request: HttpRequest) -> HttpResponse:
        user = signed_in(request)
        return _history(
            request, impersonations_of_person(user_id=user.pk), "support/account_impersonations.html"
        )


class EstablishmentImpersonationsView(RolesRequiredMixin, View):
    """An establishment's host: every impersonation there (its admins and head)."""

    required_roles = ESTABLISHMENT_SUPPORT_MANAGERS

    def get(self, request: HttpRequest) -> HttpResponse:
        establishment = current_establishment(request)
        if establishment is None:
            raise NotFound()
        return _history(
            request,
            impersonations_of_establishment(establishment=establishment),
            "support/establishment_impersonations.html",
        )
