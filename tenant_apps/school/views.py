"""An establishment's pages (on its subdomain)."""

from __future__ import annotations

from typing import Any

from django.views.generic import TemplateView

from mbn_platform.errors import NotFound
from mbn_platform.permissions import RolesRequiredMixin
from mbn_platform.tenancy import request_access
from tenant_apps.school.selectors import (
    class_students,
    classes_visible,
    classes_with_headcount,
    member_for_user,
    school_overview,
)


class SchoolHomeView(RolesRequiredMixin, TemplateView):
    """The school's home page: who you are here and your classes; a sign-in link for visitors."""

    template_name = "school/home.html"
    allow_anonymous = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        access = request_access(self.request)
        if access.user_id:
            visible = classes_visible(user_id=access.user_id, roles=access.roles).values_list("pk", flat=True)
            context["classes"] = list(
                classes_with_headcount().filter(pk__in=visible).order_by("level", "name")
            )
            context["me"] = member_for_user(user_id=access.user_id)
            context["overview"] = school_overview()
        return context


class ClassDetailView(RolesRequiredMixin, TemplateView):
    template_name = "school/class_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        access = request_access(self.request)
        school_class = (
            classes_visible(user_id=access.user_id or 0, roles=access.roles)
            .filter(pk=kwargs["class_id"])
            .first()
        )
        if school_class is None:
            raise NotFound()
        context["school_class"] = school_class
        context["students"] = list(class_students(school_class=school_class))
        return context
