"""The news pages: the list and an item (visitors see the public news), its image, and for the
publishers the editor (every item and its state; write, publish now or at a time, withdraw,
delete) with the news editors the head names."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import SuspiciousFileOperation
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError, NotFound, ValidationFailed
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.parsing import query_int
from mbn_platform.kernel.permissions import RolesRequiredMixin
from shared_apps.identity.roles import ESTABLISHMENT_LEADERS, STAFF_ROLES
from tenant_apps.news import services
from tenant_apps.news.audience import Target, audience_choices, targets_from
from tenant_apps.news.forms import EditorForm, NewsForm
from tenant_apps.news.models import NewsEditor, NewsItem, Visibility
from tenant_apps.news.permissions import NEWS_WRITERS
from tenant_apps.news.selectors.news import news_all, news_readable, news_visible
from tenant_apps.news.views.common import failed, member_required, reader
from tenant_apps.school.models import Member

PAGE_SIZE = 20


def _may_edit(member: Member | None) -> bool:
    return member is not None and bool(set(member.roles or []) & STAFF_ROLES) and services.may_publish(member)


class NewsListView(RolesRequiredMixin, View):
    """``/news/``: the published news the reader may see, newest first (visitors: the public)."""

    held_page = True  # kernel/held_pages.py

    allow_anonymous = True

    def get(self, request: HttpRequest) -> HttpResponse:
        member = reader(request)
        page = Paginator(news_visible(member=member), PAGE_SIZE).get_page(query_int(request.GET, "page") or 1)
        return render(request, "news/list.html", {"page": page, "may_edit": _may_edit(member)})


class NewsDetailView(RolesRequiredMixin, View):
    """``/news/<id>/``: an item the reader may see (a publisher: any, with its state)."""

    allow_anonymous = True

    def get(self, request: HttpRequest, news_id: int) -> HttpResponse:
        member = reader(request)
        may_edit = _may_edit(member)
        item = get_or_404(news_readable(member=member, may_edit=may_edit), pk=news_id)
        return render(request, "news/detail.html", {"item": item, "may_edit": may_edit})


class NewsImageView(RolesRequiredMixin, View):
    """An item's image, for whoever may see the item (anyone else, another school's id: 404),
    served inline as the image type it was checked to be, never sniffed."""

    allow_anonymous = True

    def get(self, request: HttpRequest, news_id: int) -> FileResponse:
        member = reader(request)
        item = get_or_404(news_readable(member=member, may_edit=_may_edit(member)), pk=news_id)
        if not item.image or not item.image_type.startswith("image/"):
            raise NotFound()
        try:
            stored = item.image.open("rb")
        except (OSError, SuspiciousFileOperation) as exc:
            raise NotFound() from exc
        response = FileResponse(stored, content_type=item.image_type)
        response["Content-Disposition"] = "inline"
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        public = item.visibility == Visibility.PUBLIC
        response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
        return response


class NewsManageView(RolesRequiredMixin, View):
    """``/news/manage/``: every item with its state, for the publishers; the head and the
    establishment's admin name the news editors here (POST ``member``, ``allowed``)."""

    required_roles = NEWS_WRITERS

    def setup_page(self, request: HttpRequest) -> Member:
        member = member_required(request)
        if not services.may_publish(member):
            raise NotFound()
        self.manages = bool(set(member.roles or []) & ESTABLISHMENT_LEADERS)
        return member

    def staff_choices(self) -> list[tuple[str, str]]:
        staff = Member.objects.filter(is_active=True, roles__overlap=list(STAFF_ROLES)).order_by(
            "display_name"
        )
        return [(str(m.user_id), m.display_name) for m in staff]

    def page(self, request: HttpRequest, form: EditorForm | None = None, status: int = 200) -> HttpResponse:
        context: dict[str, Any] = {"items": news_all()[:200], "manages": self.manages}
        if self.manages:
            context["editors"] = NewsEditor.objects.select_related("member").order_by("member__display_name")
            context["editor_form"] = form or EditorForm(staff=self.staff_choices())
        return render(request, "news/manage.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        self.setup_page(request)
        return self.page(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        self.setup_page(request)
        if not self.manages:
            raise NotFound()
        form = EditorForm(request.POST, staff=self.staff_choices())
        if not form.is_valid():
            return self.page(request, form, status=400)
        target = Member.objects.get(user_id=int(form.cleaned_data["member"]))
        allowed = request.POST.get("allowed") == "1"
        try:
            services.news_editor_set(actor=actor_of(request), member=target, allowed=allowed)
        except ApplicationError as error:
            return self.page(request, form, status=failed(form, error))
        messages.success(request, _("The news editors were saved."))
        return redirect("news-manage")


def _targets(keys: list[str]) -> list[Target]:
    """The form's choices (``"<kind>:<id>"``, from ``audience_choices``) as targets."""
    pairs = [(kind, int(pk) if pk else None) for kind, _sep, pk in (key.partition(":") for key in keys)]
    return targets_from(pairs)


class NewsEditView(RolesRequiredMixin, View):
    """``/news/new/``, ``/news/<id>/edit/``: write an item; POST ``action`` = save (a draft or the
    published item changed), publish (now, or at ``publish_at``), withdraw, delete."""

    required_roles = NEWS_WRITERS

    def setup_page(self, request: HttpRequest, news_id: int | None) -> None:
        member = member_required(request)
        if not services.may_publish(member):
            raise NotFound()
        self.item: NewsItem | None = get_or_404(news_all(), pk=news_id) if news_id else None
        self.audiences = audience_choices()

    def initial(self) -> dict[str, Any]:
        item = self.item
        if item is None:
            return {"visibility": Visibility.MEMBERS}
        return {
            "title": item.title,
            "body": item.body,
            "visibility": item.visibility,
            "targets": [f"{t.kind}:{t.school_class_id or t.group_id or ''}" for t in item.targets.all()],
            "publish_at": item.publish_at,
            "expire_at": item.expire_at,
            "image_alt": item.image_alt,
        }

    def page(self, request: HttpRequest, form: NewsForm | None = None, status: int = 200) -> HttpResponse:
        form = form or NewsForm(initial=self.initial(), audiences=self.audiences)
        return render(request, "news/edit.html", {"item": self.item, "form": form}, status=status)

    def get(self, request: HttpRequest, news_id: int | None = None) -> HttpResponse:
        self.setup_page(request, news_id)
        return self.page(request)

    def post(self, request: HttpRequest, news_id: int | None = None) -> HttpResponse:
        self.setup_page(request, news_id)
        action = request.POST.get("action", "save")
        actor = actor_of(request)
        if action in ("withdraw", "delete"):
            if self.item is None:
                raise NotFound()
            if action == "delete":
                services.news_delete(actor=actor, item=self.item)
                messages.success(request, _("The news item was deleted."))
                return redirect("news-manage")
            services.news_withdraw(actor=actor, item=self.item)
            messages.success(request, _("The news item is a draft again."))
            return redirect("news-edit", news_id=self.item.pk)
        form = NewsForm(request.POST, request.FILES, audiences=self.audiences)
        if not form.is_valid():
            return self.page(request, form, status=400)
        data = form.cleaned_data
        try:
            with transaction.atomic():  # the text, its image and its publication: all or nothing
                item = services.news_save(
                    actor=actor,
                    item=self.item,
                    title=data["title"],
                    body=data["body"],
                    visibility=data["visibility"],
                    targets=_targets(data["targets"]),
                    expire_at=data["expire_at"],
                    image_alt=data["image_alt"],
                )
                if data.get("image"):
                    services.news_image_set(actor=actor, item=item, upload=data["image"])
                if action == "publish":
                    item = services.news_publish(actor=actor, item=item, at=data["publish_at"])
        except ValidationFailed as error:
            return self.page(request, form, status=failed(form, error))
        messages.success(request, _("The news item was saved."))
        return redirect("news-edit", news_id=item.pk)
