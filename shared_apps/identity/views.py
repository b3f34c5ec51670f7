"""Region portal pages (base domain)."""

from __future__ import annotations

from typing import Any

from django.views.generic import TemplateView

from mbn_platform.kernel.permissions import RolesRequiredMixin
from mbn_platform.kernel.tenancy import request_access
from shared_apps.identity.family import family_overview
from shared_apps.identity.portal import portal_entries


class PortalHomeView(RolesRequiredMixin, TemplateView):
    """The region portal: a welcome and sign-in for visitors; for a person, the entry points of
    their region roles, their establishments and, for a guardian, their children with their
    schools."""

    template_name = "identity/portal_home.html"
    allow_anonymous = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["children"] = (
            family_overview(request=self.request, guardian=user) if user.is_authenticated else []
        )
        if user.is_authenticated:
            entries = portal_entries(region_roles=request_access(self.request).region_roles)
            context["role_entries"] = [e for e in entries if e["for_role"]]
            context["everyone_entries"] = [e for e in entries if not e["for_role"]]
        return context
