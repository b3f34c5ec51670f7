"""Pages of support requests (every host) and the support agents' queue (portal). Thin."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django_tenants.utils import get_public_schema_name, schema_context

from mbn_platform.kernel.actors import Actor, actor_of
from mbn_platform.kernel.errors import ApplicationError, NotFound, ValidationFailed
from mbn_platform.kernel.parsing import query_int, query_text
from mbn_platform.kernel.permissions import ANY_MEMBER, RolesRequiredMixin
from mbn_platform.kernel.tenancy import request_access
from shared_apps.identity.models import User
from shared_apps.support.forms import ApprovalForm, ImpersonationStartForm, ReplyForm, SupportRequestForm
from shared_apps.support.impersonation import impersonation_active_of_agent
from shared_apps.support.models import SupportRequest, SupportRequestStatus
from shared_apps.support.permissions import AGENTS, ESTABLISHMENT_SUPPORT_MANAGERS
from shared_apps.support.referents import works_requests_of
from shared_apps.support.selectors import (
    impersonations_active,
    support_queue,
    support_request_get,
    support_requests_visible,
)
from shared_apps.support.services import (
    support_reply_add,
    support_request_assign,
    support_request_create,
    support_request_resolve,
)
from tenants.requests import current_establishment


def signed_in(request: HttpRequest) -> Actor:
    user = actor_of(request)
    if user is None:  # RolesRequiredMixin has refused anonymous requests already
        raise NotFound()
    return user


def visible_request(request: HttpRequest, request_id: int) -> SupportRequest:
    return support_request_get(
        access=request_access(request), establishment=current_establishment(request), request_id=request_id
    )


def is_agent_here(request: HttpRequest) -> bool:
    """A support agent on the portal (where the queue is worked)."""
    return current_establishment(request) is None and bool(request_access(request).region_roles & AGENTS)


class SupportRequestListView(RolesRequiredMixin, View):
    """One's requests (and, for an establishment's admins, the establishment's)."""

    required_roles = ANY_MEMBER

    def get(self, request: HttpRequest) -> HttpResponse:
        queryset = support_requests_visible(
            access=request_access(request), establishment=current_establishment(request)
        )
        page = Paginator(queryset, 30).get_page(request.GET.get("page"))
        return render(
            request, "support/request_list.html", {"page": page, "is_agent": is_agent_here(request)}
        )


class SupportRequestNewView(RolesRequiredMixin, View):
    required_roles = ANY_MEMBER

    def on_behalf_allowed(self, request: HttpRequest) -> bool:
        return bool(
            current_establishment(request) and request_access(request).roles & ESTABLISHMENT_SUPPORT_MANAGERS
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        came_from = request.GET.get("from") or request.headers.get("Referer", "")
        form = SupportRequestForm(
            initial={"page_url": came_from}, on_behalf_allowed=self.on_behalf_allowed(request)
        )
        return render(request, "support/request_new.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SupportRequestForm(
            request.POST, request.FILES, on_behalf_allowed=self.on_behalf_allowed(request)
        )
        if form.is_valid():
            try:
                login = form.cleaned_data.get("on_behalf_of") or ""
                on_behalf_of = User.objects.filter(login=login.strip().lower()).first() if login else None
                if login and on_behalf_of is None:
                    raise ValidationFailed(
                        fields={"on_behalf_of": [_("No member of the establishment has this login.")]}
                    )
                created = support_request_create(
                    actor=signed_in(request),
                    establishment=current_establishment(request),
                    subject=form.cleaned_data["subject"],
                    description=form.cleaned_data["description"],
                    page_url=form.cleaned_data.get("page_url") or "",
                    screenshot=form.cleaned_data.get("screenshot"),
                    on_behalf_of=on_behalf_of,
                    request=request,
                )
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(request, _("Your request was sent to the support team."))
                return HttpResponseRedirect(reverse("support-request-detail", args=[created.pk]))
        return render(request, "support/request_new.html", {"form": form}, status=400)


class SupportRequestDetailView(RolesRequiredMixin, View):
    """A request, its replies, a reply form; for an agent on the portal, the queue's actions."""

    required_roles = ANY_MEMBER

    def get(self, request: HttpRequest, request_id: int) -> HttpResponse:
        return self.page(request, visible_request(request, request_id), ReplyForm())

    def post(self, request: HttpRequest, request_id: int) -> HttpResponse:
        support_request = visible_request(request, request_id)
        form = ReplyForm(request.POST)
        if form.is_valid():
            try:
                support_reply_add(
                    actor=signed_in(request),
                    support_request=support_request,
                    body=form.cleaned_data["body"],
                    request=request,
                )
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(request, _("Your reply was sent."))
                return HttpResponseRedirect(reverse("support-request-detail", args=[support_request.pk]))
        return self.page(request, support_request, form, status=400)

    def page(
        self, request: HttpRequest, support_request: SupportRequest, form: ReplyForm, status: int = 200
    ) -> HttpResponse:
        agent = is_agent_here(request)
        works_here = current_establishment(request) is not None and works_requests_of(
            signed_in(request), support_request.establishment
        )
        context: dict[str, Any] = {
            "item": support_request,
            "replies": list(support_request.replies.select_related("author")),
            "form": form,
            "is_agent": agent,
            "may_resolve": support_request.status != SupportRequestStatus.RESOLVED
            and (agent or support_request.requester_id == request_access(request).user_id or works_here),
            "may_escalate": works_here
            and support_request.escalated_at is None
            and support_request.status != SupportRequestStatus.RESOLVED,
        }
        if agent:
            context["impersonate_form"] = ImpersonationStartForm(
                initial={"support_request": support_request.pk}
            )
            context["agents"] = User.objects.filter(region_roles__role__in=AGENTS).order_by("last_name")
        return render(request, "support/request_detail.html", context, status=status)


class SupportScreenshotView(RolesRequiredMixin, View):
    """The screenshot, read from the storage in its establishment's schema (its prefix)."""

    required_roles = ANY_MEMBER

    def get(self, request: HttpRequest, request_id: int) -> HttpResponse:
        support_request = visible_request(request, request_id)
        if not support_request.screenshot:
            raise NotFound()
        establishment = support_request.establishment
        schema = establishment.schema_name if establishment is not None else get_public_schema_name()
        with schema_context(schema), support_request.screenshot.open("rb") as stored:
            content = stored.read()
        kind = (support_request.screenshot.name or "").rsplit(".", 1)[-1]
        content_type = {"jpg": "image/jpeg"}.get(kind, f"image/{kind}")
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = "inline"
        response["Cache-Control"] = "private, no-store"
        return response


class SupportRequestResolveView(RolesRequiredMixin, View):
    required_roles = ANY_MEMBER

    http_method_names = ["post"]

    def post(self, request: HttpRequest, request_id: int) -> HttpResponse:
        support_request = visible_request(request, request_id)
        support_request_resolve(actor=signed_in(request), support_request=support_request, request=request)
        messages.success(request, _("The request is resolved."))
        return HttpResponseRedirect(reverse("support-request-detail", args=[support_request.pk]))


# --- The queue (portal, support agents) -------------------------------------------------------


class SupportQueueView(RolesRequiredMixin, View):
    required_region_roles = AGENTS

    def get(self, request: HttpRequest) -> HttpResponse:
        user = signed_in(request)
        filters = {key: query_text(request.GET, key, max_length=20) for key in ("status", "uai", "mine")}
        queryset = support_queue(
            status=filters["status"] if filters["status"] in SupportRequestStatus.values else "",
            establishment_uai=filters["uai"],
            assignee_id=user.pk if filters["mine"] else None,
        )
        page = Paginator(queryset, 50).get_page(request.GET.get("page"))
        active = list(impersonations_active())
        return render(
            request,
            "support/queue.html",
            {
                "page": page,
                "filters": filters,
                "statuses": SupportRequestStatus.choices,
                "query_string": "&".join(f"{k}={v}" for k, v in filters.items() if v),
                "mine_active": impersonation_active_of_agent(agent=user),
                "others_active": [item for item in active if item.agent_id != user.pk],
                "approval_form": ApprovalForm(),
            },
        )


class SupportRequestAssignView(RolesRequiredMixin, View):
    required_region_roles = AGENTS
    http_method_names = ["post"]

    def post(self, request: HttpRequest, request_id: int) -> HttpResponse:
        support_request = visible_request(request, request_id)
        assignee_id = query_int(request.POST, "assignee")
        assignee = User.objects.filter(pk=assignee_id).first() if assignee_id else None
        try:
            support_request_assign(
                actor=signed_in(request), support_request=support_request, assignee=assignee, request=request
            )
            messages.success(request, _("The request is assigned."))
        except ApplicationError as error:
            messages.error(request, error.message)
        return HttpResponseRedirect(reverse("support-request-detail", args=[support_request.pk]))
