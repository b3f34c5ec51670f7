"""Reads of messaging, scoped to the person: their folders (inbox, sent, archived), a thread they
take part in (anyone else: 404), its messages with the read receipts the sender sees, search
(PostgreSQL full-text search in French), the people they may write to, reported messages for the
moderators. A folder page costs a fixed number of queries, whatever the number of threads."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery
from django.db.models import Count, Q, QuerySet

from tenant_apps.messaging.models import Message, Participant, Report, Thread
from tenant_apps.messaging.rules import may_write_to
from tenant_apps.school.models import Member

FOLDERS = ("inbox", "sent", "archived")


def me(user_id: int) -> Member | None:
    return Member.objects.filter(user_id=user_id, is_active=True).first()


def folder(*, member: Member, name: str, search: str = "") -> QuerySet[Participant]:
    """One's participations in a folder, newest first, each with its thread (one query a page)."""
    rows = Participant.objects.filter(member=member).select_related("thread", "thread__started_by")
    if name == "sent":
        rows = rows.filter(last_sent_at__isnull=False).order_by("-last_sent_at", "-pk")
    elif name == "archived":
        rows = rows.filter(archived=True).order_by("-thread__last_message_at", "-pk")
    else:
        rows = rows.filter(archived=False, last_incoming_at__isnull=False).order_by(
            "-last_incoming_at", "-pk"
        )
    if search:
        query = SearchQuery(search, config="french", search_type="websearch")
        rows = rows.filter(thread__in=Message.objects.filter(search=query).values("thread_id"))
    return rows


def unread_count(*, member: Member) -> int:
    from django.db.models import F

    return (
        Participant.objects.filter(member=member, archived=False, last_incoming_at__isnull=False)
        .filter(Q(last_read_at__isnull=True) | Q(last_read_at__lt=F("last_incoming_at")))
        .count()
    )


def thread_for(*, member: Member, thread_id: int) -> tuple[Thread, Participant] | None:
    participant = (
        Participant.objects.select_related("thread", "thread__started_by")
        .filter(member=member, thread_id=thread_id)
        .first()
    )
    return (participant.thread, participant) if participant is not None else None


def messages_of(thread: Thread) -> QuerySet[Message]:
    return (
        thread.messages.select_related("author").prefetch_related("attachments").order_by("created_at", "pk")
    )


def read_receipts(thread: Thread, message: Message) -> dict[str, int | list[str]]:
    """Who has read a message (for its sender): the count, and the names when the thread has few
    participants (two queries)."""
    others = Participant.objects.filter(thread=thread).exclude(member_id=message.author_id)
    read = others.filter(last_read_at__gte=message.created_at)
    total = others.count()
    names = list(read.values_list("member__display_name", flat=True)[:30]) if total <= 30 else []
    return {"read": read.count(), "total": total, "names": names}


def thread_participants(thread: Thread) -> QuerySet[Participant]:
    return thread.participants.select_related("member").order_by("member__display_name")


def participant_count(thread: Thread) -> int:
    return Participant.objects.filter(thread=thread).aggregate(n=Count("pk"))["n"]


def recipients_for(*, member: Member, search: str = "") -> QuerySet[Member]:
    """The people this member may write to, by the communication rules."""
    found = (
        Member.objects.filter(may_write_to(member)).select_related("school_class").order_by("display_name")
    )
    if search:
        found = found.filter(display_name__icontains=search)
    return found


def reports_open() -> QuerySet[Report]:
    return Report.objects.filter(resolved_at__isnull=True).select_related(
        "message__author", "message__thread", "reported_by"
    )
