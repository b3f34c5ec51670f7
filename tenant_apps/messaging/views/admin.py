"""Messaging's pages for the establishment: the communication rules (the leadership changes them;
audited) and the reported messages (moderators)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.parsing import query_int
from mbn_platform.kernel.permissions import RolesRequiredMixin
from shared_apps.identity.roles import Role
from tenant_apps.messaging import selectors, services
from tenant_apps.messaging.forms import ResolveForm
from tenant_apps.messaging.models import Reach
from tenant_apps.messaging.permissions import MODERATORS, RULE_MANAGERS
from tenant_apps.messaging.rules import ROLES, rules_matrix


class RulesView(RolesRequiredMixin, View):
    """``/messages/rules/``: the matrix of who may write to whom, one select a cell."""

    required_roles = RULE_MANAGERS

    def page(self, request: HttpRequest, status: int = 200, error: str = "") -> HttpResponse:
        matrix = rules_matrix()
        labels = dict(Role.choices)
        rows = [
            (
                sender,
                labels[sender],
                [(recipient, labels[recipient], matrix[(sender, recipient)]) for recipient in ROLES],
            )
            for sender in ROLES
        ]
        context = {
            "rows": rows,
            "roles": [(r, labels[r]) for r in ROLES],
            "reaches": Reach.choices,
            "error": error,
        }
        return render(request, "messaging/rules.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        changes = {
            (sender, recipient): request.POST.get(f"{sender}__{recipient}", "")
            for sender in ROLES
            for recipient in ROLES
            if f"{sender}__{recipient}" in request.POST
        }
        try:
            count = services.communication_rules_set(actor=actor_of(request), changes=changes)
        except ApplicationError as error:
            return self.page(
                request,
                400,
                error=" ".join(m for msgs in error.fields.values() for m in msgs) or error.message,
            )
        messages.success(request, _("%(count)d rules changed.") % {"count": count})
        return redirect("messaging-rules")


class ReportsView(RolesRequiredMixin, View):
    """``/messages/reports/``: the reported messages still open; resolve one."""

    required_roles = MODERATORS

    def get(self, request: HttpRequest) -> HttpResponse:
        reports = [(r, ResolveForm(prefix=f"r{r.pk}")) for r in selectors.reports_open()[:100]]
        return render(request, "messaging/reports.html", {"reports": reports})

    def post(self, request: HttpRequest) -> HttpResponse:
        report = get_or_404(selectors.reports_open(), pk=query_int(request.POST, "report") or 0)
        form = ResolveForm(request.POST, prefix=f"r{report.pk}")
        if form.is_valid():
            services.report_resolve(
                actor=actor_of(request), report=report, resolution=form.cleaned_data["resolution"]
            )
            messages.success(request, _("The report was resolved."))
        return redirect("messaging-reports")
