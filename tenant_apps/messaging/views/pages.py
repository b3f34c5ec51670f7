"""Messaging's pages: the folders with search, a thread (read receipts on one's own messages,
reply, archive, report a message), writing a message, the files' downloads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import SuspiciousFileOperation
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError, NotFound
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.parsing import query_int, query_text
from mbn_platform.kernel.permissions import RolesRequiredMixin
from mbn_platform.kernel.tenancy import request_access
from shared_apps.identity.roles import STAFF_ROLES
from shared_apps.support.rules import impersonation_refuse
from tenant_apps.messaging import selectors, services
from tenant_apps.messaging.audiences import KINDS, Audience
from tenant_apps.messaging.forms import ComposeForm, ReplyForm, ReportForm
from tenant_apps.messaging.models import Message, MessageAttachment
from tenant_apps.messaging.permissions import MESSAGING_USERS, MODERATORS
from tenant_apps.school.models import Member, SchoolClass

PAGE_SIZE = 50
MAX_PEOPLE_CHOICES = 500


def member_here(request: HttpRequest) -> Member:
    member = selectors.me(request_access(request).user_id or 0)
    if member is None:
        raise NotFound()
    return member


def failed(form: Any, error: ApplicationError) -> int:
    form.add_application_error(error)
    return error.status if error.status != 404 else 400


class MessagesHomeView(RolesRequiredMixin, View):
    """``/messages/?folder=&q=&page=``: one folder, newest first, 50 a page."""

    held_page = True  # kernel/held_pages.py

    required_roles = MESSAGING_USERS

    def get(self, request: HttpRequest) -> HttpResponse:
        member = member_here(request)
        name = query_text(request.GET, "folder", max_length=20) or "inbox"
        if name not in selectors.FOLDERS:
            raise NotFound()
        search = query_text(request.GET, "q", max_length=200)
        page = Paginator(selectors.folder(member=member, name=name, search=search), PAGE_SIZE).get_page(
            query_int(request.GET, "page", default=1, minimum=1, maximum=100_000)
        )
        context = {
            "folder": name,
            "folders": [("inbox", _("Inbox")), ("sent", _("Sent")), ("archived", _("Archived"))],
            "q": search,
            "page": page,
            "unread": selectors.unread_count(member=member),
            "is_moderator": bool(request_access(request).roles & MODERATORS),
        }
        return render(request, "messaging/home.html", context)


class ThreadView(RolesRequiredMixin, View):
    """``/messages/<thread>/``: a thread one takes part in (anyone else: 404; a private one is
    never shown to a support agent impersonating its reader)."""

    required_roles = MESSAGING_USERS

    def thread(self, request: HttpRequest, thread_id: int) -> tuple[Any, Any, Member]:
        member = member_here(request)
        found = selectors.thread_for(member=member, thread_id=thread_id)
        if found is None:
            raise NotFound()
        if found[0].private:
            impersonation_refuse(request)
        return found[0], found[1], member

    def page(self, request: HttpRequest, thread_id: int, status: int = 200, **forms: Any) -> HttpResponse:
        thread, participant, member = self.thread(request, thread_id)
        if status == 200 and request.method == "GET":
            services.thread_read(actor=actor_of(request), thread=thread)
        rows = list(selectors.messages_of(thread))
        receipts = {m.pk: selectors.read_receipts(thread, m) for m in rows[-20:] if m.author_id == member.pk}
        context = {
            "thread": thread,
            "participant": participant,
            "rows": [(m, receipts.get(m.pk)) for m in rows],
            "participants": selectors.thread_participants(thread)[:50],
            "participant_count": selectors.participant_count(thread),
            "can_reply": not thread.no_reply or thread.started_by_id == member.pk,
            "reply_form": forms.get("reply_form") or ReplyForm(),
            "report_form": forms.get("report_form") or ReportForm(),
        }
        return render(request, "messaging/thread.html", context, status=status)

    def get(self, request: HttpRequest, thread_id: int) -> HttpResponse:
        return self.page(request, thread_id)

    def post(self, request: HttpRequest, thread_id: int) -> HttpResponse:
        thread, _participant, _member = self.thread(request, thread_id)
        action = request.POST.get("action", "reply")
        actor = actor_of(request)
        if action == "archive":
            services.thread_archive(actor=actor, thread=thread, archived=request.POST.get("archived") == "1")
            return redirect("messaging-home")
        if action == "report":
            form = ReportForm(request.POST)
            message = get_or_404(
                Message.objects.filter(thread=thread), pk=query_int(request.POST, "message") or 0
            )
            if not form.is_valid():
                return self.page(request, thread_id, 400, report_form=form)
            try:
                services.message_report(actor=actor, message=message, reason=form.cleaned_data["reason"])
            except ApplicationError as error:
                return self.page(request, thread_id, failed(form, error), report_form=form)
            messages.success(request, _("The message was reported to moderation."))
            return redirect("messaging-thread", thread_id=thread.pk)
        reply = ReplyForm(request.POST, request.FILES)
        if not reply.is_valid():
            return self.page(request, thread_id, 400, reply_form=reply)
        upload = reply.cleaned_data.get("file")
        try:
            services.message_reply(
                actor=actor,
                thread=thread,
                body=reply.cleaned_data["body"],
                uploads=[upload] if upload else [],
            )
        except ApplicationError as error:
            return self.page(request, thread_id, failed(reply, error), reply_form=reply)
        messages.success(request, _("Your reply was sent."))
        return redirect("messaging-thread", thread_id=thread.pk)


def group_choices(member: Member) -> list[tuple[str, str]]:
    if not set(member.roles or []) & STAFF_ROLES:
        return []
    choices = [("staff:", Audience("staff").label())]
    for school_class in SchoolClass.objects.order_by("level", "name"):
        for kind in KINDS[:3]:
            choices.append((f"{kind}:{school_class.pk}", Audience(kind, school_class).label()))
    return choices


class ComposeView(RolesRequiredMixin, View):
    """``/messages/new/?to=<user id>``: write to people the rules allow, and (staff) to groups."""

    required_roles = MESSAGING_USERS

    def form(self, request: HttpRequest, member: Member, data: Any = None, files: Any = None) -> ComposeForm:
        people = [
            (
                str(m.user_id),
                f"{m.display_name} ({m.school_class.name})" if m.school_class else m.display_name,
            )
            for m in selectors.recipients_for(member=member)[:MAX_PEOPLE_CHOICES]
        ]
        to = query_int(request.GET, "to")
        initial = {"recipients": [str(to)]} if to else {}
        return ComposeForm(data, files, people=people, groups=group_choices(member), initial=initial)

    def page(self, request: HttpRequest, form: ComposeForm, status: int = 200) -> HttpResponse:
        return render(request, "messaging/compose.html", {"form": form}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request, self.form(request, member_here(request)))

    def post(self, request: HttpRequest) -> HttpResponse:
        member = member_here(request)
        form = self.form(request, member, request.POST, request.FILES)
        if not form.is_valid():
            return self.page(request, form, 400)
        data = form.cleaned_data
        people = list(Member.objects.filter(user_id__in=[int(i) for i in data["recipients"]], is_active=True))
        audiences = []
        for value in data.get("groups") or []:
            kind, _sep, class_id = value.partition(":")
            school_class = SchoolClass.objects.filter(pk=int(class_id)).first() if class_id else None
            audiences.append(Audience(kind, school_class))
        upload = data.get("file")
        try:
            thread = services.thread_start(
                actor=actor_of(request),
                subject=data["subject"],
                body=data["body"],
                recipients=people,
                audiences=audiences,
                no_reply=bool(data.get("no_reply")),
                private=bool(data.get("private")),
                uploads=[upload] if upload else [],
            )
        except ApplicationError as error:
            return self.page(request, form, failed(form, error))
        messages.success(request, _("Your message was sent."))
        return redirect("messaging-thread", thread_id=thread.pk)


class MessageFileView(RolesRequiredMixin, View):
    """A message's file, for the thread's participants (anyone else: 404)."""

    required_roles = MESSAGING_USERS

    def get(self, request: HttpRequest, attachment_id: int) -> FileResponse:
        member = member_here(request)
        attachment = (
            MessageAttachment.objects.select_related("message__thread")
            .filter(pk=attachment_id, message__thread__participants__member=member)
            .first()
        )
        if attachment is None:
            raise NotFound()
        if attachment.message.thread.private:
            impersonation_refuse(request)
        try:
            stored = attachment.file.open("rb")
        except (OSError, SuspiciousFileOperation) as exc:
            raise NotFound() from exc
        response = FileResponse(
            stored, as_attachment=True, filename=attachment.name, content_type=attachment.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
