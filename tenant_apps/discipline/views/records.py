"""The discipline records' pages: report an incident, give a punishment, propose a sanction, and
each one's page (a punishment's status; a sanction's decision by the head). Objects a person may
not see are 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.permissions import RolesRequiredMixin
from mbn_platform.kernel.tenancy import request_access
from tenant_apps.discipline import selectors, services
from tenant_apps.discipline.forms import (
    DecisionForm,
    IncidentForm,
    PunishmentForm,
    PunishmentStatusForm,
    SanctionForm,
)
from tenant_apps.discipline.models import Incident, SanctionStatus
from tenant_apps.discipline.permissions import (
    DISCIPLINE_READERS,
    DISCIPLINE_STAFF,
    DISCIPLINE_WRITERS,
    SANCTION_DECIDERS,
)


def _failed(form: Any, error: ApplicationError) -> int:
    form.add_application_error(error)
    return error.status if error.status != 404 else 400


def _incident_of(request: HttpRequest) -> Incident | None:
    """The incident a new punishment or sanction is for (``?incident=``, one the person sees)."""
    value = request.GET.get("incident") or request.POST.get("incident") or ""
    if not value.isdigit():
        return None
    access = request_access(request)
    return get_or_404(selectors.incidents_visible(user_id=access.user_id or 0, roles=access.roles), pk=value)


class IncidentNewView(RolesRequiredMixin, View):
    required_roles = DISCIPLINE_WRITERS
    template_name = "discipline/form.html"

    def form(self, request: HttpRequest, data: Any = None) -> IncidentForm:
        students = selectors.active_students().order_by("school_class__name", "display_name")
        initial = {"occurred_at": timezone.localtime().replace(second=0, microsecond=0)}
        return IncidentForm(data, students=students, staff=selectors.staff_members(), initial=initial)

    def page(self, request: HttpRequest, form: IncidentForm, status: int = 200) -> HttpResponse:
        return render(
            request, self.template_name, {"form": form, "title": _("Report an incident")}, status=status
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request, self.form(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form(request, request.POST)
        if not form.is_valid():
            return self.page(request, form, 400)
        data = form.cleaned_data
        try:
            incident = services.incident_create(
                actor=actor_of(request),
                occurred_at=data["occurred_at"],
                description=data["description"],
                place=data["place"],
                students=list(data["students"]),
                witnesses=list(data["witnesses"]),
                other_witnesses=data["other_witnesses"],
            )
        except ApplicationError as error:
            return self.page(request, form, _failed(form, error))
        messages.success(request, _("The incident was reported."))
        return redirect("discipline-incident", incident_id=incident.pk)


class IncidentDetailView(RolesRequiredMixin, View):
    required_roles = DISCIPLINE_WRITERS

    def get(self, request: HttpRequest, incident_id: int) -> HttpResponse:
        access = request_access(request)
        incident = get_or_404(
            selectors.incidents_visible(user_id=access.user_id or 0, roles=access.roles), pk=incident_id
        )
        context = {
            "incident": incident,
            "punishments": selectors.punishments_visible(
                user_id=access.user_id or 0, roles=access.roles
            ).filter(incident=incident),
            "sanctions": selectors.sanctions_visible(user_id=access.user_id or 0, roles=access.roles).filter(
                incident=incident
            ),
        }
        return render(request, "discipline/incident.html", context)


class PunishmentNewView(RolesRequiredMixin, View):
    required_roles = DISCIPLINE_WRITERS
    template_name = "discipline/form.html"

    def form(self, request: HttpRequest, data: Any = None) -> PunishmentForm:
        access = request_access(request)
        students = selectors.students_for_writing(user_id=access.user_id or 0, roles=access.roles)
        initial = {"student": request.GET.get("student") or None, "date": timezone.localdate()}
        return PunishmentForm(data, students=students, staff=selectors.staff_members(), initial=initial)

    def page(self, request: HttpRequest, form: PunishmentForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "title": _("Give a punishment"), "incident": _incident_of(request)}
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request, self.form(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form(request, request.POST)
        if not form.is_valid():
            return self.page(request, form, 400)
        try:
            punishment = services.punishment_give(
                actor=actor_of(request), incident=_incident_of(request), **form.cleaned_data
            )
        except ApplicationError as error:
            return self.page(request, form, _failed(form, error))
        messages.success(request, _("The punishment was recorded."))
        return redirect("discipline-punishment", punishment_id=punishment.pk)


class PunishmentDetailView(RolesRequiredMixin, View):
    required_roles = DISCIPLINE_READERS

    def page(
        self,
        request: HttpRequest,
        punishment_id: int,
        form: PunishmentStatusForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        access = request_access(request)
        punishment = get_or_404(
            selectors.punishments_visible(user_id=access.user_id or 0, roles=access.roles), pk=punishment_id
        )
        may_update = bool(access.roles & DISCIPLINE_STAFF) or access.user_id in (
            punishment.given_by.user_id,
            punishment.supervisor.user_id if punishment.supervisor else None,
        )
        form = form or PunishmentStatusForm(initial={"status": punishment.status})
        context = {"punishment": punishment, "form": form if may_update else None}
        return render(request, "discipline/punishment.html", context, status=status)

    def get(self, request: HttpRequest, punishment_id: int) -> HttpResponse:
        return self.page(request, punishment_id)

    def post(self, request: HttpRequest, punishment_id: int) -> HttpResponse:
        access = request_access(request)
        punishment = get_or_404(
            selectors.punishments_visible(user_id=access.user_id or 0, roles=access.roles), pk=punishment_id
        )
        form = PunishmentStatusForm(request.POST)
        if not form.is_valid():
            return self.page(request, punishment_id, form, 400)
        try:
            services.punishment_status_set(
                actor=actor_of(request), punishment=punishment, status=form.cleaned_data["status"]
            )
        except ApplicationError as error:
            return self.page(request, punishment_id, form, _failed(form, error))
        messages.success(request, _("The punishment was updated."))
        if request.POST.get("back") == "roster":
            return redirect("discipline-detentions")
        return redirect("discipline-punishment", punishment_id=punishment.pk)


class SanctionNewView(RolesRequiredMixin, View):
    required_roles = DISCIPLINE_WRITERS
    template_name = "discipline/form.html"

    def form(self, request: HttpRequest, data: Any = None) -> SanctionForm:
        access = request_access(request)
        students = selectors.students_for_writing(user_id=access.user_id or 0, roles=access.roles)
        return SanctionForm(data, students=students, initial={"student": request.GET.get("student") or None})

    def page(self, request: HttpRequest, form: SanctionForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "title": _("Propose a sanction"), "incident": _incident_of(request)}
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request, self.form(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form(request, request.POST)
        if not form.is_valid():
            return self.page(request, form, 400)
        try:
            sanction = services.sanction_propose(
                actor=actor_of(request), incident=_incident_of(request), **form.cleaned_data
            )
        except ApplicationError as error:
            return self.page(request, form, _failed(form, error))
        messages.success(request, _("The sanction was proposed to the head of establishment."))
        return redirect("discipline-sanction", sanction_id=sanction.pk)


class SanctionDetailView(RolesRequiredMixin, View):
    required_roles = DISCIPLINE_READERS

    def page(
        self, request: HttpRequest, sanction_id: int, form: DecisionForm | None = None, status: int = 200
    ) -> HttpResponse:
        access = request_access(request)
        sanction = get_or_404(
            selectors.sanctions_visible(user_id=access.user_id or 0, roles=access.roles), pk=sanction_id
        )
        may_decide = bool(access.roles & SANCTION_DECIDERS) and sanction.status == SanctionStatus.PROPOSED
        initial = {
            "decided_on": timezone.localdate(),
            "body": "head",
            "pronounced": "1",
            "exclusion_start": sanction.exclusion_start,
            "exclusion_end": sanction.exclusion_end,
        }
        context = {
            "sanction": sanction,
            "form": (form or DecisionForm(initial=initial)) if may_decide else None,
        }
        return render(request, "discipline/sanction.html", context, status=status)

    def get(self, request: HttpRequest, sanction_id: int) -> HttpResponse:
        return self.page(request, sanction_id)

    def post(self, request: HttpRequest, sanction_id: int) -> HttpResponse:
        access = request_access(request)
        sanction = get_or_404(
            selectors.sanctions_visible(user_id=access.user_id or 0, roles=access.roles), pk=sanction_id
        )
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return self.page(request, sanction_id, form, 400)
        try:
            services.sanction_decide(actor=actor_of(request), sanction=sanction, **form.cleaned_data)
        except ApplicationError as error:
            if error.status == 403:
                raise
            return self.page(request, sanction_id, form, _failed(form, error))
        messages.success(request, _("The decision was recorded."))
        return redirect("discipline-sanction", sanction_id=sanction.pk)
