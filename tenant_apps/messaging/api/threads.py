"""Messaging's API (``/api/v1/messages/…``): one's folders and search, a thread (read when opened;
the sender's read receipts), write to people and groups (the communication rules decide), reply,
archive, report a message. Threads one does not take part in: 404."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DefaultPagination
from mbn_platform.kernel.errors import NotFound, ValidationFailed
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.parsing import query_text
from mbn_platform.kernel.tenancy import request_access
from shared_apps.support.rules import impersonation_refuse
from tenant_apps.messaging import selectors, services
from tenant_apps.messaging.audiences import KINDS, Audience
from tenant_apps.messaging.models import Message, Participant, Thread
from tenant_apps.messaging.permissions import MESSAGING_USERS
from tenant_apps.school.models import Member, SchoolClass
from tenants.requests import current_establishment


def member_of(request: Request) -> Member:
    member = selectors.me(request_access(request).user_id or 0)
    if member is None:
        raise NotFound()
    return member


def thread_seen(request: Request, thread_id: int) -> tuple[Thread, Participant]:
    found = selectors.thread_for(member=member_of(request), thread_id=thread_id)
    if found is None:
        raise NotFound()
    if found[0].private:
        impersonation_refuse(request)
    return found


class ThreadRowOut(serializers.Serializer[object]):
    id = serializers.IntegerField(source="thread.id")
    subject = serializers.CharField(source="thread.subject")
    started_by = serializers.CharField(source="thread.started_by.display_name")
    audience = serializers.CharField(source="thread.audience")
    last_message_at = serializers.DateTimeField(source="thread.last_message_at")
    unread = serializers.BooleanField()
    archived = serializers.BooleanField()
    no_reply = serializers.BooleanField(source="thread.no_reply")
    school = serializers.SerializerMethodField(help_text="the establishment the thread belongs to")

    def get_school(self, row: Any) -> str:
        return str(self.context.get("school", ""))


class MessageFileOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_url(self, attachment: Any) -> str:
        return reverse("messaging-file", args=[attachment.pk])


class MessageOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    author_id = serializers.IntegerField(source="author.user_id")
    author = serializers.CharField(source="author.display_name")
    body = serializers.CharField()
    created_at = serializers.DateTimeField()
    attachments = MessageFileOut(many=True, source="attachments.all")
    read_by = serializers.SerializerMethodField(help_text="read receipts, for the message's sender only")

    def get_read_by(self, message: Any) -> dict[str, Any] | None:
        return self.context.get("receipts", {}).get(message.pk)


class ThreadOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    subject = serializers.CharField()
    audience = serializers.CharField()
    no_reply = serializers.BooleanField()
    private = serializers.BooleanField()
    participants = serializers.IntegerField()
    messages = MessageOut(many=True)


class GroupIn(serializers.Serializer[object]):
    kind = serializers.ChoiceField(choices=KINDS)
    class_id = serializers.IntegerField(required=False, allow_null=True, default=None)


class ThreadIn(serializers.Serializer[object]):
    subject = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=20_000)
    recipient_ids = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list, help_text="user ids", max_length=500
    )
    groups = GroupIn(many=True, required=False, default=list)
    no_reply = serializers.BooleanField(required=False, default=False)
    private = serializers.BooleanField(required=False, default=False)


class ReplyIn(serializers.Serializer[object]):
    body = serializers.CharField(max_length=20_000)
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list, max_length=5)


class ArchiveIn(serializers.Serializer[object]):
    archived = serializers.BooleanField()


class ReportIn(serializers.Serializer[object]):
    reason = serializers.CharField(max_length=500)


def thread_answer(thread: Thread, member: Member) -> dict[str, Any]:
    messages = list(selectors.messages_of(thread))
    receipts = {m.pk: selectors.read_receipts(thread, m) for m in messages[-20:] if m.author_id == member.pk}
    body = {
        "id": thread.pk,
        "subject": thread.subject,
        "audience": thread.audience,
        "no_reply": thread.no_reply,
        "private": thread.private,
        "participants": selectors.participant_count(thread),
        "messages": messages,
    }
    return dict(ThreadOut(body, context={"receipts": receipts}).data)


def audiences_of(groups: list[dict[str, Any]]) -> list[Audience]:
    found = []
    for group in groups:
        school_class = None
        if group["kind"] != "staff":
            school_class = SchoolClass.objects.filter(pk=group["class_id"] or 0).first()
            if school_class is None:
                raise ValidationFailed(fields={"groups": [_("Choose a class for this group.")]})
        found.append(Audience(group["kind"], school_class))
    return found


class ThreadListApi(BaseAPIView):
    """GET: one's threads in a folder (``folder``: inbox, sent, archived; ``q``: full-text search
    in French), newest first; POST: write to people (user ids) and groups."""

    pagination_class = DefaultPagination
    required_roles = MESSAGING_USERS
    parser_classes = [JSONParser]

    @extend_schema(
        parameters=[
            OpenApiParameter("folder", str, enum=list(selectors.FOLDERS)),
            OpenApiParameter("q", str, description="words to search for"),
        ],
        responses=ThreadRowOut(many=True),
    )
    def get(self, request: Request) -> Response:
        name = query_text(request.GET, "folder", max_length=20) or "inbox"
        if name not in selectors.FOLDERS:
            raise ValidationFailed(fields={"folder": [_("Choose inbox, sent or archived.")]})
        rows = selectors.folder(member=member_of(request), name=name, search=query_text(request.GET, "q"))
        school = getattr(current_establishment(request), "name", "")
        return self.page_response(
            request, rows, lambda page: ThreadRowOut(page, many=True, context={"school": school}).data
        )

    @extend_schema(request=ThreadIn, responses={201: ThreadOut})
    def post(self, request: Request) -> Response:
        data = ThreadIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        people = list(Member.objects.filter(user_id__in=v["recipient_ids"], is_active=True))
        if len(people) != len(set(v["recipient_ids"])):
            raise ValidationFailed(fields={"recipient_ids": [_("Unknown person.")]})
        thread = services.thread_start(
            actor=actor_of(request),
            subject=v["subject"],
            body=v["body"],
            recipients=people,
            audiences=audiences_of(v["groups"]),
            no_reply=v["no_reply"],
            private=v["private"],
        )
        return Response(thread_answer(thread, member_of(request)), status=201)


class ThreadDetailApi(BaseAPIView):
    """GET: a thread one takes part in, its messages (read receipts on one's own), marked read."""

    required_roles = MESSAGING_USERS

    @extend_schema(responses=ThreadOut)
    def get(self, request: Request, thread_id: int) -> Response:
        thread, _participant = thread_seen(request, thread_id)
        services.thread_read(actor=actor_of(request), thread=thread)
        return Response(thread_answer(thread, member_of(request)))


class ReplyApi(BaseAPIView):
    """POST (JSON or multipart with ``files``): reply to everyone in the thread."""

    required_roles = MESSAGING_USERS
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(request=ReplyIn, responses={201: MessageOut})
    def post(self, request: Request, thread_id: int) -> Response:
        thread, _participant = thread_seen(request, thread_id)
        data = ReplyIn(data=request.data)
        data.is_valid(raise_exception=True)
        message = services.message_reply(
            actor=actor_of(request),
            thread=thread,
            body=data.validated_data["body"],
            uploads=list(data.validated_data["files"]),
        )
        return Response(MessageOut(message).data, status=201)


class ArchiveApi(BaseAPIView):
    required_roles = MESSAGING_USERS

    @extend_schema(request=ArchiveIn, responses=ArchiveIn)
    def put(self, request: Request, thread_id: int) -> Response:
        thread, _participant = thread_seen(request, thread_id)
        data = ArchiveIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.thread_archive(
            actor=actor_of(request), thread=thread, archived=data.validated_data["archived"]
        )
        return Response({"archived": data.validated_data["archived"]})


class ReportApi(BaseAPIView):
    """POST: report a message of a thread one takes part in to moderation."""

    required_roles = MESSAGING_USERS

    @extend_schema(request=ReportIn, responses={201: None})
    def post(self, request: Request, message_id: int) -> Response:
        member = member_of(request)
        message = get_or_404(Message.objects.filter(thread__participants__member=member), pk=message_id)
        data = ReportIn(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.message_report(
            actor=actor_of(request), message=message, reason=data.validated_data["reason"]
        )
        return Response({"id": report.pk}, status=201)
