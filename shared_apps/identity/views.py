"""Region portal pages (base domain)."""

from __future__ import annotations

from typing import Any

from django.views.generic import TemplateView

from mbn_platform.kernel.permissions import RolesRequiredMixin
from shared_apps.identity.family import family_overview


class PortalHomeView(RolesRequiredMixin, TemplateView):
    """The region portal: a welcome and sign-in for visitors; for a person, their establishments
    and, for a guardian, their children with their schools."""

    template_name = "identity/portal_home.html"
    allow_anonymous = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["children"] = (
            family_overview(request=self.request, guardian=user) if user.is_authenticated else []
        )
        return context
