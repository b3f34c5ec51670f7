"""Memberships admin pages, on an establishment's host (/members/…): its admins and head list its
memberships, find or create a person and grant a role, end a role, manage its students' guardian
links. Thin: the rules are in ``shared_apps/identity/memberships.py`` (and, for a new account,
``shared_apps/directory/people.py``); a refused action is shown on the page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError, NotFound, ValidationFailed
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.permissions import RolesRequiredMixin
from shared_apps.directory.people import establishment_person_create
from shared_apps.identity.memberships import (
    establishment_guardian_link_remove,
    establishment_guardian_link_set,
    establishment_membership_end,
    establishment_membership_grant,
    person_find,
)
from shared_apps.identity.models import Membership, MembershipStatus, User
from shared_apps.identity.roles import Role
from shared_apps.identity.selectors import (
    guardian_link_of_establishment,
    guardian_links_here,
    membership_here,
    memberships_here,
    person_memberships_here,
)
from tenant_apps.school.members.forms import (
    GuardianAddForm,
    GuardianLinkForm,
    MemberFilterForm,
    PersonCreateForm,
    PersonFindForm,
    RoleGrantForm,
)
from tenant_apps.school.models import SchoolClass
from tenant_apps.school.permissions import MEMBERSHIP_MANAGERS
from tenant_apps.school.selectors import members_by_user
from tenants.models import Establishment
from tenants.requests import establishment_served

PAGE_SIZE = 50


def _class_names() -> list[str]:
    """The classes of the establishment served (the request's schema)."""
    return list(SchoolClass.objects.order_by("level", "name").values_list("name", flat=True))


def _granted(person: User, membership: Membership) -> str:
    if membership.status == MembershipStatus.PENDING:
        return _(
            "%(name)s is a student in another establishment: a transfer was asked of it. They join "
            "here once it releases them."
        ) % {"name": person.display_name}
    return _("%(name)s is now %(role)s here.") % {
        "name": person.display_name,
        "role": membership.get_role_display(),
    }


def _invalid(form: Any) -> ValidationFailed:
    return ValidationFailed(fields={name: [str(m) for m in msgs] for name, msgs in form.errors.items()})


class MembersPage(RolesRequiredMixin, View):
    required_roles = MEMBERSHIP_MANAGERS


class MemberListView(MembersPage):
    """The establishment's memberships: search, filters (role, status), pages."""

    def get(self, request: HttpRequest) -> HttpResponse:
        establishment = establishment_served(request)
        form = MemberFilterForm(request.GET)
        filters = form.cleaned_data if form.is_valid() else {}
        memberships = memberships_here(
            establishment=establishment,
            query=filters.get("q", ""),
            role=filters.get("role", ""),
            status=filters.get("status", ""),
        )
        page = Paginator(memberships, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = list(page.object_list)
        members = members_by_user(user_ids=[m.user_id for m in rows])
        query = urlencode({k: v for k, v in filters.items() if v})
        # HTMX (search as one types) asks for the results only; the same URL gives the whole page.
        template = "school/members/_results.html" if request.headers.get("HX-Request") else None
        response = render(
            request,
            template or "school/members/list.html",
            {
                "form": form,
                "page": page,
                "rows": [(m, members.get(m.user_id)) for m in rows],
                "query": query,
            },
        )
        patch_vary_headers(response, ["HX-Request"])
        return response


class MemberNewView(MembersPage):
    """Find a person of the region (exact login, e-mail or national id) and give them a role, or
    create the account of someone new (an activation code comes with it)."""

    template_name = "school/members/new.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        find = PersonFindForm(request.GET if "identifier" in request.GET else None)
        return self.page(request, find=find)

    def page(
        self, request: HttpRequest, *, find: PersonFindForm, status: int = 200, **extra: Any
    ) -> HttpResponse:
        establishment = establishment_served(request)
        classes = _class_names()
        person: User | None = None
        searched = find.is_bound and find.is_valid()
        if searched:
            person = person_find(identifier=find.cleaned_data["identifier"])
        context: dict[str, Any] = {
            "find": find,
            "searched": searched,
            "person": person,
            "person_roles": person_memberships_here(establishment=establishment, user_id=person.pk)
            if person
            else [],
            "grant": RoleGrantForm(class_names=classes, prefix="grant"),
            "create": PersonCreateForm(class_names=classes, prefix="create"),
            "error": None,
        }
        context.update(extra)
        return render(request, self.template_name, context, status=status)

    def post(self, request: HttpRequest) -> HttpResponse:
        establishment = establishment_served(request)
        actor = actor_of(request)
        classes = _class_names()
        if request.POST.get("action") == "create":
            create = PersonCreateForm(request.POST, class_names=classes, prefix="create")
            try:
                if not create.is_valid():
                    raise _invalid(create)
                created = establishment_person_create(
                    actor=actor,
                    establishment=establishment,
                    first_name=create.cleaned_data["first_name"],
                    last_name=create.cleaned_data["last_name"],
                    email=create.cleaned_data["email"],
                    role=create.cleaned_data["role"],
                    class_name=create.cleaned_data["class_name"] or None,
                )
            except ApplicationError as error:
                create.add_application_error(error)
                return self.page(
                    request, find=PersonFindForm(), create=create, error=error, status=error.status
                )
            response = render(request, "school/members/created.html", {"created": created})
            response["Cache-Control"] = "no-store"  # the activation code is shown once
            return response
        find = PersonFindForm(request.POST)
        grant = RoleGrantForm(request.POST, class_names=classes, prefix="grant")
        try:
            person = person_find(identifier=find.cleaned_data["identifier"]) if find.is_valid() else None
            if person is None:
                raise NotFound(_("No account of the region matches this identifier."))
            if not grant.is_valid():
                raise _invalid(grant)
            membership = establishment_membership_grant(
                actor=actor,
                establishment=establishment,
                user=person,
                role=grant.cleaned_data["role"],
                class_name=grant.cleaned_data["class_name"] or None,
            )
        except ApplicationError as error:
            grant.add_application_error(error)
            return self.page(request, find=find, grant=grant, error=error, status=error.status)
        messages.success(request, _granted(person, membership))
        return HttpResponseRedirect(reverse("members-detail", args=[membership.pk]))


def _detail(request: HttpRequest, membership: Membership, *, status: int = 200, **extra: Any) -> HttpResponse:
    """A person's page in this establishment: roles, class, guardians (of a student), children."""
    establishment = establishment_served(request)
    person = membership.user
    roles = person_memberships_here(establishment=establishment, user_id=person.pk)
    active = {m.role for m in roles if m.status == MembershipStatus.ACTIVE}
    member = members_by_user(user_ids=[person.pk]).get(person.pk)
    guardians = (
        list(guardian_links_here(establishment=establishment).filter(child_id=person.pk))
        if Role.STUDENT in active
        else []
    )
    children: list[tuple[Any, int]] = []
    if Role.GUARDIAN in active:
        links = list(guardian_links_here(establishment=establishment).filter(guardian_id=person.pk))
        student_ids = dict(
            Membership.objects.filter(
                establishment=establishment, role=Role.STUDENT, user_id__in=[link.child_id for link in links]
            ).values_list("user_id", "pk")
        )
        children = [(link, student_ids[link.child_id]) for link in links if link.child_id in student_ids]
    classes = _class_names()
    context: dict[str, Any] = {
        "membership": membership,
        "person": person,
        "roles": roles,
        "member": member,
        "is_student": Role.STUDENT in active,
        "guardians": guardians,
        "children": children,
        "levels": GuardianLinkForm.base_fields["responsibility_level"].choices,  # type: ignore[attr-defined]
        "grant": RoleGrantForm(class_names=classes, prefix="grant"),
        "guardian_add": GuardianAddForm(prefix="guardian", initial={"can_act": True}),
        "error": None,
    }
    context.update(extra)
    return render(request, "school/members/detail.html", context, status=status)


class MemberDetailView(MembersPage):
    def get(self, request: HttpRequest, membership_id: int) -> HttpResponse:
        return _detail(
            request, membership_here(establishment=establishment_served(request), membership_id=membership_id)
        )


class MemberEndView(MembersPage):
    """End one role (the membership becomes departed; the history stays)."""

    def post(self, request: HttpRequest, membership_id: int) -> HttpResponse:
        establishment = establishment_served(request)
        membership = membership_here(establishment=establishment, membership_id=membership_id)
        try:
            establishment_membership_end(
                actor=actor_of(request), establishment=establishment, membership=membership
            )
        except ApplicationError as error:
            return _detail(request, membership, error=error, status=error.status)
        messages.success(
            request,
            _("%(name)s is no longer %(role)s here.")
            % {"name": membership.user.display_name, "role": membership.get_role_display()},
        )
        return HttpResponseRedirect(reverse("members-detail", args=[membership.pk]))


class MemberRoleGrantView(MembersPage):
    """Give one more role (or a role back) to a person of this establishment."""

    def post(self, request: HttpRequest, membership_id: int) -> HttpResponse:
        establishment = establishment_served(request)
        membership = membership_here(establishment=establishment, membership_id=membership_id)
        grant = RoleGrantForm(request.POST, class_names=_class_names(), prefix="grant")
        try:
            if not grant.is_valid():
                raise _invalid(grant)
            granted = establishment_membership_grant(
                actor=actor_of(request),
                establishment=establishment,
                user=membership.user,
                role=grant.cleaned_data["role"],
                class_name=grant.cleaned_data["class_name"] or None,
            )
        except ApplicationError as error:
            grant.add_application_error(error)
            return _detail(request, membership, grant=grant, error=error, status=error.status)
        messages.success(request, _granted(membership.user, granted))
        return HttpResponseRedirect(reverse("members-detail", args=[membership.pk]))


class MemberGuardianAddView(MembersPage):
    """Link a guardian (found by exact identifier) to the student of this membership."""

    def post(self, request: HttpRequest, membership_id: int) -> HttpResponse:
        establishment = establishment_served(request)
        membership = membership_here(establishment=establishment, membership_id=membership_id)
        form = GuardianAddForm(request.POST, prefix="guardian")
        try:
            if not form.is_valid():
                raise _invalid(form)
            guardian = person_find(identifier=form.cleaned_data["identifier"])
            if guardian is None:
                raise ValidationFailed(
                    fields={"identifier": [_("No account of the region matches this identifier.")]}
                )
            establishment_guardian_link_set(
                actor=actor_of(request),
                establishment=establishment,
                guardian=guardian,
                child=membership.user,
                responsibility_level=form.cleaned_data["responsibility_level"],
                can_act=form.cleaned_data["can_act"],
            )
        except ApplicationError as error:
            form.add_application_error(error)
            return _detail(request, membership, guardian_add=form, error=error, status=error.status)
        messages.success(
            request,
            _("%(guardian)s is now linked to %(child)s.")
            % {"guardian": guardian.display_name, "child": membership.user.display_name},
        )
        return HttpResponseRedirect(reverse("members-detail", args=[membership.pk]))


def _student_membership(establishment: Establishment, child_id: int) -> Membership:
    """The student membership here of a link's child (the page the link is managed from)."""
    return get_or_404(
        Membership.objects.select_related("user"),
        establishment=establishment,
        user_id=child_id,
        role=Role.STUDENT,
    )


class GuardianLinkUpdateView(MembersPage):
    """Change a link's responsibility level and whether the guardian may act."""

    def post(self, request: HttpRequest, link_id: int) -> HttpResponse:
        establishment = establishment_served(request)
        link = guardian_link_of_establishment(establishment=establishment, link_id=link_id)
        membership = _student_membership(establishment, link.child_id)
        form = GuardianLinkForm(request.POST, prefix=f"link-{link.pk}")
        try:
            if not form.is_valid():
                raise _invalid(form)
            establishment_guardian_link_set(
                actor=actor_of(request),
                establishment=establishment,
                guardian=link.guardian,
                child=link.child,
                responsibility_level=form.cleaned_data["responsibility_level"],
                can_act=form.cleaned_data["can_act"],
            )
        except ApplicationError as error:
            return _detail(request, membership, error=error, status=error.status)
        messages.success(
            request, _("The link of %(guardian)s is saved.") % {"guardian": link.guardian.display_name}
        )
        return HttpResponseRedirect(reverse("members-detail", args=[membership.pk]))


class GuardianLinkRemoveView(MembersPage):
    def post(self, request: HttpRequest, link_id: int) -> HttpResponse:
        establishment = establishment_served(request)
        link = guardian_link_of_establishment(establishment=establishment, link_id=link_id)
        membership = _student_membership(establishment, link.child_id)
        guardian_name = link.guardian.display_name
        try:
            establishment_guardian_link_remove(
                actor=actor_of(request), establishment=establishment, link=link
            )
        except ApplicationError as error:
            return _detail(request, membership, error=error, status=error.status)
        messages.success(
            request,
            _("%(guardian)s is no longer linked to %(child)s.")
            % {"guardian": guardian_name, "child": membership.user.display_name},
        )
        return HttpResponseRedirect(reverse("members-detail", args=[membership.pk]))
