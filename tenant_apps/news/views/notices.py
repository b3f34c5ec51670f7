"""The notices pages: a guardian's notices per child (to acknowledge, acknowledged); for staff
the notices they follow with their counts, sending one, and a notice's tally per class and per
student with the reminder. A notice one neither received nor follows: 404."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError, NotFound
from mbn_platform.kernel.permissions import RolesRequiredMixin
from shared_apps.identity.roles import Role
from tenant_apps.news import services
from tenant_apps.news.forms import NoticeForm
from tenant_apps.news.models import Notice, NoticeRecipient
from tenant_apps.news.permissions import NOTICE_READERS, NOTICE_SENDERS
from tenant_apps.news.selectors.notices import notice_tally, notices_followed, notices_of_guardian
from tenant_apps.news.views.common import failed, member_required
from tenant_apps.school.models import Member, SchoolClass


def _by_child(rows: list[NoticeRecipient]) -> list[tuple[Member, list[NoticeRecipient]]]:
    ordered = sorted(rows, key=lambda r: (r.student.display_name, r.student_id))
    return [
        (group[0].student, group)
        for _k, g in groupby(ordered, key=lambda r: r.student_id)
        if (group := list(g))
    ]


class NoticesView(RolesRequiredMixin, View):
    """``/notices/``: a guardian's notices per child; the notices a member of staff follows."""

    held_page = True  # kernel/held_pages.py

    required_roles = NOTICE_READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        member = member_required(request)
        roles = set(member.roles or [])
        context: dict[str, Any] = {"is_sender": bool(roles & NOTICE_SENDERS)}
        if Role.GUARDIAN in roles:
            context["children"] = _by_child(list(notices_of_guardian(guardian=member)))
        if context["is_sender"]:
            context["followed"] = list(notices_followed(member=member).order_by("-created_at", "-pk")[:100])
        return render(request, "news/notices.html", context)


class NoticeNewView(RolesRequiredMixin, View):
    """``/notices/new/``: send a notice to the guardians of a class or of chosen students."""

    required_roles = NOTICE_SENDERS

    def form(self, member: Member, data: Any = None) -> NoticeForm:
        students = Member.objects.filter(services.students_for(member)).select_related("school_class")
        student_choices = [
            (str(s.pk), f"{s.display_name} ({s.school_class.name if s.school_class else '—'})")
            for s in students.order_by("school_class__name", "display_name")
        ]
        class_ids = {s.school_class_id for s in students if s.school_class_id}
        classes = SchoolClass.objects.filter(pk__in=class_ids).order_by("level", "name")
        return NoticeForm(data, classes=[(str(c.pk), c.name) for c in classes], students=student_choices)

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "news/notice_new.html", {"form": self.form(member_required(request))})

    def post(self, request: HttpRequest) -> HttpResponse:
        member = member_required(request)
        form = self.form(member, request.POST)
        if not form.is_valid():
            return render(request, "news/notice_new.html", {"form": form}, status=400)
        data = form.cleaned_data
        school_class = (
            SchoolClass.objects.filter(pk=int(data["school_class"])).first() if data["school_class"] else None
        )
        students = (
            list(Member.objects.filter(pk__in=[int(pk) for pk in data["students"]]))
            if school_class is None
            else []
        )
        try:
            notice = services.notice_send(
                actor=actor_of(request),
                title=data["title"],
                body=data["body"],
                school_class=school_class,
                students=students,
            )
        except ApplicationError as error:
            return render(request, "news/notice_new.html", {"form": form}, status=failed(form, error))
        messages.success(request, _("The notice was sent."))
        return redirect("notice-detail", notice_id=notice.pk)


class NoticeDetailView(RolesRequiredMixin, View):
    """``/notices/<id>/``: for a guardian it concerns, the notice and one button to acknowledge it;
    for its follower, the tally and the reminder. POST ``action`` = acknowledge, remind, delete."""

    required_roles = NOTICE_READERS

    def setup_page(self, request: HttpRequest, notice_id: int) -> None:
        self.member = member_required(request)
        notice = Notice.objects.select_related("author", "school_class").filter(pk=notice_id).first()
        if notice is None:
            raise NotFound()
        self.notice: Notice = notice
        senders = bool(set(self.member.roles or []) & NOTICE_SENDERS)
        self.follows = senders and services.may_follow(self.member, self.notice)
        self.rows = list(
            NoticeRecipient.objects.filter(notice=self.notice, guardian=self.member).select_related("student")
        )
        if not self.follows and not self.rows:
            raise NotFound()

    def get(self, request: HttpRequest, notice_id: int) -> HttpResponse:
        self.setup_page(request, notice_id)
        context: dict[str, Any] = {"notice": self.notice, "rows": self.rows, "follows": self.follows}
        if self.follows:
            context["tally"] = notice_tally(self.notice)
        return render(request, "news/notice_detail.html", context)

    def post(self, request: HttpRequest, notice_id: int) -> HttpResponse:
        self.setup_page(request, notice_id)
        action, actor = request.POST.get("action", ""), actor_of(request)
        if action == "acknowledge" and self.rows:
            services.notice_acknowledge(actor=actor, notice=self.notice)
            messages.success(request, _("Thank you: the notice is acknowledged."))
        elif action == "remind" and self.follows:
            count = services.notice_remind(actor=actor, notice=self.notice)
            text = (
                ngettext("%(count)d guardian was reminded.", "%(count)d guardians were reminded.", count)
                % {"count": count}
                if count
                else _("Nobody was reminded: everyone has acknowledged or was reminded a few minutes ago.")
            )
            messages.success(request, text)
        elif action == "delete" and self.follows:
            services.notice_delete(actor=actor, notice=self.notice)
            messages.success(request, _("The notice was deleted."))
            return redirect("notices")
        else:
            raise NotFound()
        return redirect("notice-detail", notice_id=notice_id)
