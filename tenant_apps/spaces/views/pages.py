"""The spaces list (one's spaces; the inter-school setting for the head and administrators) and
the creation of a project space."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError, PermissionDenied
from mbn_platform.kernel.permissions import RolesRequiredMixin
from mbn_platform.kernel.tenancy import request_access
from tenant_apps.school.models import Member
from tenant_apps.spaces import selectors, services
from tenant_apps.spaces.forms import ProjectForm
from tenant_apps.spaces.guests import inter_school_allowed_here
from tenant_apps.spaces.membership import roles_in
from tenant_apps.spaces.models import SpaceRole
from tenant_apps.spaces.permissions import MEMBER_ROLES, PROJECT_CREATORS, SETTINGS_MANAGERS, SPACE_USERS
from tenant_apps.spaces.views.common import failed, member_here, people_choices

MAX_PEOPLE_CHOICES = 2000


class SpacesHomeView(RolesRequiredMixin, View):
    """``/spaces/``: one's spaces (class, groups, projects), the inter-school setting for leaders."""

    held_page = True  # kernel/held_pages.py

    required_roles = SPACE_USERS

    def get(self, request: HttpRequest) -> HttpResponse:
        member = member_here(request)
        if member.roles:  # a guest makes nothing here
            services.spaces_ensure()
        spaces = list(selectors.my_spaces(member)[:500])
        roles = roles_in(member, spaces)
        access = request_access(request)
        context = {
            "rows": [(s, roles.get(s.pk, "")) for s in spaces],
            "role_labels": dict(SpaceRole.choices),
            "can_create": bool(access.roles & PROJECT_CREATORS),
            "manages_settings": bool(access.roles & SETTINGS_MANAGERS),
            "inter_school": inter_school_allowed_here(),
        }
        return render(request, "spaces/home.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        if not request_access(request).roles & SETTINGS_MANAGERS:
            raise PermissionDenied()
        services.spaces_settings_set(
            actor=actor_of(request), inter_school=request.POST.get("inter_school") == "1"
        )
        messages.success(request, _("The settings are saved."))
        return redirect("spaces-home")


class ProjectCreateView(RolesRequiredMixin, View):
    """``/spaces/new/``: a project space, its members chosen as contributors or readers."""

    required_roles = PROJECT_CREATORS

    def form(self, request: HttpRequest, data: object = None) -> ProjectForm:
        people = Member.objects.filter(is_active=True, roles__overlap=sorted(MEMBER_ROLES)).exclude(
            user_id=request_access(request).user_id or 0
        )
        return ProjectForm(data, people=people_choices(people.order_by("display_name")[:MAX_PEOPLE_CHOICES]))

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "spaces/new.html", {"form": self.form(request)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form(request, request.POST)
        status = 400
        if form.is_valid():
            v = form.cleaned_data
            chosen = [(int(pk), SpaceRole.READER.value) for pk in v["readers"]]
            chosen += [(int(pk), SpaceRole.CONTRIBUTOR.value) for pk in v["contributors"]]
            try:
                space = services.project_space_create(
                    actor=actor_of(request), name=v["name"], description=v["description"], members=chosen
                )
            except ApplicationError as error:
                status = failed(form, error)
            else:
                messages.success(request, _("The space is created."))
                return redirect("spaces-space", space.pk)
        return render(request, "spaces/new.html", {"form": form}, status=status)
