"""A forum topic's page (``/spaces/<id>/topics/<topic>/``): its posts, a reply, and for the
space's owners pin, lock, hide and delete (audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError, NotFound
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.parsing import query_int
from mbn_platform.kernel.permissions import RolesRequiredMixin
from tenant_apps.spaces import selectors, services
from tenant_apps.spaces.forms import PostForm
from tenant_apps.spaces.membership import at_least
from tenant_apps.spaces.models import Post, SpaceRole, Topic
from tenant_apps.spaces.permissions import SPACE_USERS
from tenant_apps.spaces.views.common import failed, space_here


class TopicView(RolesRequiredMixin, View):
    required_roles = SPACE_USERS

    def found(self, request: HttpRequest, space_id: int, topic_id: int) -> tuple[Topic, str, Any]:
        space, role, member = space_here(request, space_id)
        topic = selectors.topic_for(space, topic_id)
        if topic is None:
            raise NotFound()
        return topic, role, member

    def page(
        self, request: HttpRequest, space_id: int, topic_id: int, status: int = 200, form: Any = None
    ) -> HttpResponse:
        topic, role, member = self.found(request, space_id, topic_id)
        owner = at_least(role, SpaceRole.OWNER)
        context = {
            "space": topic.space,
            "topic": topic,
            "posts": list(selectors.posts_of(topic, role)),
            "is_owner": owner,
            "me": member,
            "can_reply": at_least(role, SpaceRole.CONTRIBUTOR) and (owner or not topic.locked),
            "form": form or PostForm(),
        }
        return render(request, "spaces/topic.html", context, status=status)

    def get(self, request: HttpRequest, space_id: int, topic_id: int) -> HttpResponse:
        return self.page(request, space_id, topic_id)

    def post(self, request: HttpRequest, space_id: int, topic_id: int) -> HttpResponse:
        topic, _role, _member = self.found(request, space_id, topic_id)
        action = request.POST.get("action", "reply")
        actor = actor_of(request)
        here = redirect("spaces-topic", space_id, topic_id)
        try:
            if action == "reply":
                form = PostForm(request.POST)
                if not form.is_valid():
                    return self.page(request, space_id, topic_id, status=400, form=form)
                try:
                    post = services.post_create(actor=actor, topic=topic, body=form.cleaned_data["body"])
                except ApplicationError as error:
                    return self.page(request, space_id, topic_id, status=failed(form, error), form=form)
                return redirect(f"{here.url}#post-{post.pk}")
            if action in ("pin", "lock"):
                on = request.POST.get("on") == "1"
                services.topic_moderate(
                    actor=actor,
                    topic=topic,
                    pinned=on if action == "pin" else topic.pinned,
                    locked=on if action == "lock" else topic.locked,
                )
                return here
            post = get_or_404(
                Post.objects.filter(topic=topic).select_related("topic__space", "author"),
                pk=query_int(request.POST, "post") or 0,
            )
            if action == "hide":
                services.post_hide(actor=actor, post=post, hidden=request.POST.get("on") == "1")
                return here
            if action == "delete":
                services.post_delete(actor=actor, post=post)
                messages.success(request, _("The post is deleted."))
                return (
                    here if Topic.objects.filter(pk=topic.pk).exists() else redirect("spaces-forum", space_id)
                )
        except ApplicationError as error:
            if error.status == 404:
                raise
            messages.error(request, error.message)
            return self.page(request, space_id, topic_id, status=error.status)
        raise NotFound()
