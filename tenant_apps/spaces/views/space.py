"""A space's page, one tab a path: the wall (``/spaces/<id>/``), the forum (``…/forum/``), the
members (``…/members/``; owners manage them there). Each write is one POSTed ``action``; what a
member may do is the services' to decide."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError, NotFound
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.parsing import query_int
from mbn_platform.kernel.permissions import RolesRequiredMixin
from shared_apps.identity.models import User
from tenant_apps.school.models import Member
from tenant_apps.spaces import selectors, services
from tenant_apps.spaces.documents_link import documents_url
from tenant_apps.spaces.forms import GuestForm, MemberForm, SpaceSettingsForm, TopicForm, WallForm
from tenant_apps.spaces.guests import inter_school_allowed_here
from tenant_apps.spaces.membership import at_least, space_members
from tenant_apps.spaces.models import Space, SpaceKind, SpaceMute, SpaceRole, WallPost
from tenant_apps.spaces.permissions import MEMBER_ROLES, SPACE_USERS
from tenant_apps.spaces.views.common import failed, people_choices, space_here
from tenants.models import Establishment

TABS = ("wall", "forum", "members")
WALL_PAGE = 20
TOPICS_PAGE = 30
MAX_PEOPLE_CHOICES = 2000


class SpaceView(RolesRequiredMixin, View):
    required_roles = SPACE_USERS
    tab = "wall"

    def page(self, request: HttpRequest, space_id: int, status: int = 200, **forms: Any) -> HttpResponse:
        space, role, member = space_here(request, space_id)
        owner = at_least(role, SpaceRole.OWNER)
        page_number = query_int(request.GET, "page", default=1, minimum=1, maximum=100_000)
        context: dict[str, Any] = {
            "space": space,
            "role": role,
            "role_label": SpaceRole(role).label,
            "tab": self.tab,
            "is_owner": owner,
            "can_write": at_least(role, SpaceRole.CONTRIBUTOR),
            "me": member,
            "following": not SpaceMute.objects.filter(space=space, member=member).exists(),
            "documents_url": documents_url(space),
        }
        if self.tab == "wall":
            context["page"] = Paginator(selectors.wall_of(space), WALL_PAGE).get_page(page_number)
            context["wall_form"] = forms.get("wall_form") or WallForm()
        elif self.tab == "forum":
            context["page"] = Paginator(selectors.topics_of(space), TOPICS_PAGE).get_page(page_number)
            context["topic_form"] = forms.get("topic_form") or TopicForm()
        else:
            rows = space_members(space)
            context["rows"] = rows
            if owner:
                context.update(self.owner_forms(space, rows, forms))
        return render(request, "spaces/space.html", context, status=status)

    def owner_forms(self, space: Space, rows: list[Any], forms: dict[str, Any]) -> dict[str, Any]:
        present = [row.member.pk for row in rows]
        people = Member.objects.filter(is_active=True, roles__overlap=sorted(MEMBER_ROLES)).exclude(
            pk__in=present
        )
        return {
            "member_form": forms.get("member_form")
            or MemberForm(people=people_choices(people.order_by("display_name")[:MAX_PEOPLE_CHOICES])),
            "settings_form": forms.get("settings_form")
            or SpaceSettingsForm(
                initial={
                    "name": space.name,
                    "description": space.description,
                    "student_role": space.student_role,
                    "archived": space.archived,
                }
            ),
            "guest_form": (forms.get("guest_form") or GuestForm())
            if space.kind == SpaceKind.PROJECT and inter_school_allowed_here()
            else None,
        }

    def get(self, request: HttpRequest, space_id: int) -> HttpResponse:
        return self.page(request, space_id)

    def post(self, request: HttpRequest, space_id: int) -> HttpResponse:
        space, _role, _member = space_here(request, space_id)
        action = request.POST.get("action", "")
        handler = getattr(self, f"do_{action}", None) if action.isidentifier() else None
        if handler is None:
            raise NotFound()
        try:
            answer: HttpResponse = handler(request, space)
        except ApplicationError as error:
            if error.status == 404:
                raise
            messages.error(request, error.message)
            return self.page(request, space_id, status=error.status)
        return answer

    def back(self, space: Space, tab: str) -> HttpResponse:
        return redirect(
            {"wall": "spaces-space", "forum": "spaces-forum", "members": "spaces-members"}[tab], space.pk
        )

    def do_wall_post(self, request: HttpRequest, space: Space) -> HttpResponse:
        form = WallForm(request.POST)
        if form.is_valid():
            try:
                services.wall_post_create(
                    actor=actor_of(request), space=space, body=form.cleaned_data["body"]
                )
            except ApplicationError as error:
                return self.page(request, space.pk, status=failed(form, error), wall_form=form)
            return self.back(space, "wall")
        return self.page(request, space.pk, status=400, wall_form=form)

    def do_wall_comment(self, request: HttpRequest, space: Space) -> HttpResponse:
        post = get_or_404(WallPost.objects.filter(space=space), pk=query_int(request.POST, "post") or 0)
        services.wall_comment_create(
            actor=actor_of(request), post=post, body=request.POST.get("body", "")[:300]
        )
        return self.back(space, "wall")

    def do_wall_delete(self, request: HttpRequest, space: Space) -> HttpResponse:
        post = get_or_404(
            WallPost.objects.filter(space=space).select_related("space", "author"),
            pk=query_int(request.POST, "post") or 0,
        )
        services.wall_post_delete(actor=actor_of(request), post=post)
        messages.success(request, _("The post is deleted."))
        return self.back(space, "wall")

    def do_topic(self, request: HttpRequest, space: Space) -> HttpResponse:
        form = TopicForm(request.POST)
        if form.is_valid():
            try:
                topic = services.topic_create(actor=actor_of(request), space=space, **form.cleaned_data)
            except ApplicationError as error:
                return self.page(request, space.pk, status=failed(form, error), topic_form=form)
            return redirect("spaces-topic", space.pk, topic.pk)
        return self.page(request, space.pk, status=400, topic_form=form)

    def do_follow(self, request: HttpRequest, space: Space) -> HttpResponse:
        following = request.POST.get("following") == "1"
        services.space_follow(actor=actor_of(request), space=space, following=following)
        messages.success(
            request, _("You follow this space.") if following else _("You no longer follow this space.")
        )
        return self.back(space, self.tab)

    def do_member(self, request: HttpRequest, space: Space) -> HttpResponse:
        target = get_or_404(Member.objects.all(), pk=query_int(request.POST, "member") or 0)
        services.space_member_set(
            actor=actor_of(request), space=space, member=target, role=request.POST.get("role", "")
        )
        messages.success(request, _("The members are saved."))
        return self.back(space, "members")

    def do_remove(self, request: HttpRequest, space: Space) -> HttpResponse:
        target = get_or_404(Member.objects.all(), pk=query_int(request.POST, "member") or 0)
        services.space_member_remove(actor=actor_of(request), space=space, member=target)
        messages.success(request, _("The members are saved."))
        return self.back(space, "members")

    def do_guest(self, request: HttpRequest, space: Space) -> HttpResponse:
        form = GuestForm(request.POST)
        if form.is_valid():
            v = form.cleaned_data
            user = User.objects.filter(login=v["login"], is_active=True).first()
            home = Establishment.objects.filter(uai=v["uai"].upper()).first()
            try:
                if user is None or home is None:
                    form.add_error("login" if user is None else "uai", _("Unknown person or establishment."))
                else:
                    services.space_guest_add(
                        actor=actor_of(request), space=space, user=user, home=home, role=v["role"]
                    )
                    messages.success(request, _("The guest is added."))
                    return self.back(space, "members")
            except ApplicationError as error:
                return self.page(request, space.pk, status=failed(form, error), guest_form=form)
        return self.page(request, space.pk, status=400, guest_form=form)

    def do_settings(self, request: HttpRequest, space: Space) -> HttpResponse:
        form = SpaceSettingsForm(request.POST)
        if form.is_valid():
            try:
                services.space_update(actor=actor_of(request), space=space, **form.cleaned_data)
            except ApplicationError as error:
                return self.page(request, space.pk, status=failed(form, error), settings_form=form)
            messages.success(request, _("The space is saved."))
            return self.back(space, "members")
        return self.page(request, space.pk, status=400, settings_form=form)
