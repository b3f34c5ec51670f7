"""An establishment's pages (on its subdomain)."""

from __future__ import annotations

from typing import Any

from django.views.generic import TemplateView

from mbn_platform.kernel.errors import NotFound
from mbn_platform.kernel.permissions import ANY_MEMBER, RolesRequiredMixin
from mbn_platform.kernel.tenancy import request_access
from shared_apps.identity.models import User
from shared_apps.identity.roles import Role
from tenant_apps.school.home_sections import home_sections
from tenant_apps.school.selectors import (
    children_here,
    class_students,
    classes_visible,
    classes_with_headcount,
    member_for_user,
    school_overview,
)
from tenants.requests import current_establishment


class SchoolHomeView(RolesRequiredMixin, TemplateView):
    """The school's home page: who you are here and your classes; a sign-in link for visitors."""

    held_page = True  # kernel/held_pages.py

    template_name = "school/home.html"
    allow_anonymous = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        access = request_access(self.request)
        context["home_sections"] = home_sections(self.request)
        if access.user_id:
            visible = classes_visible(user_id=access.user_id, roles=access.roles).values_list("pk", flat=True)
            context["classes"] = list(
                classes_with_headcount().filter(pk__in=visible).order_by("level", "name")
            )
            context["me"] = member_for_user(user_id=access.user_id)
            context["overview"] = school_overview()
            context["manages_members"] = bool(access.roles & {Role.ESTABLISHMENT_ADMIN, Role.HEAD})
            if Role.GUARDIAN in access.roles:
                context["my_children"] = children_here(guardian_id=access.user_id)
        return context


class ClassDetailView(RolesRequiredMixin, TemplateView):
    required_roles = ANY_MEMBER

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


class ChildDetailView(RolesRequiredMixin, TemplateView):
    """A guardian's page for one of their children who studies here: class, the guardian's link
    (responsibility, may act or only view), the school, what is new. Any other child: 404."""

    template_name = "school/child_detail.html"
    required_roles = frozenset({Role.GUARDIAN})

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from shared_apps.identity.family import family_child_here

        context = super().get_context_data(**kwargs)
        guardian = self.request.user
        establishment = current_establishment(self.request)
        if not isinstance(guardian, User) or establishment is None:
            raise NotFound()
        context["child"] = family_child_here(
            guardian=guardian, child_id=kwargs["user_id"], establishment=establishment
        )
        return context
