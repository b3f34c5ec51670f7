"""Threads and messages: start a thread with people and groups (the communication rules decide
who may be written to), reply (each new message is notified to the others, ``notices.py``), read
(the sender's read receipts), archive. One message to 2,000
people costs a fixed number of queries (the participants are written in one batch)."""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.search import SearchVector
from django.db import transaction
from django.db.models import Value
from django.utils import timezone
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.errors import NotFound, PermissionDenied, ValidationFailed
from mbn_platform.kernel.uploads import safe_file_name, upload_kind
from shared_apps.identity.roles import STAFF_ROLES
from tenant_apps.messaging.audiences import Audience, audiences_members
from tenant_apps.messaging.models import Message, MessageAttachment, Participant, Thread
from tenant_apps.messaging.notices import message_notify
from tenant_apps.messaging.rules import may_write_to
from tenant_apps.messaging.services.common import acting_member, audit
from tenant_apps.school.models import Member

MAX_BODY = 20_000
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
BATCH = 1000


def _body(body: str) -> str:
    body = body.strip()
    if not body:
        raise ValidationFailed(fields={"body": [_("Write a message.")]})
    if len(body) > MAX_BODY:
        raise ValidationFailed(fields={"body": [_("At most 20,000 characters.")]})
    return body


def _message_add(thread: Thread, author: Member, body: str, uploads: list[Any]) -> Message:
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationFailed(fields={"files": [_("At most %(count)d files.") % {"count": MAX_ATTACHMENTS}]})
    kinds = [upload_kind(upload, field="files", max_bytes=MAX_ATTACHMENT_BYTES) for upload in uploads]
    now = timezone.now()
    message = Message.objects.create(thread=thread, author=author, body=body, created_at=now)
    Message.objects.filter(pk=message.pk).update(
        search=SearchVector(Value(thread.subject), weight="A", config="french")
        + SearchVector("body", weight="B", config="french")
    )
    for upload, kind in zip(uploads, kinds, strict=True):
        name = safe_file_name(getattr(upload, "name", ""), kind.extension)
        attachment = MessageAttachment(
            message=message, name=name, size=upload.size, content_type=kind.content_type
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()
    return message


def recipients_check(sender: Member, recipients: list[Member]) -> None:
    """Every recipient must be one the rules let the sender write to (one query); else a 400
    naming who may not be written to."""
    ids = {m.pk for m in recipients}
    allowed = set(Member.objects.filter(may_write_to(sender), pk__in=ids).values_list("pk", flat=True))
    refused = [m.display_name for m in recipients if m.pk not in allowed]
    if refused:
        raise ValidationFailed(
            _("The establishment's communication rules do not let you write to: %(names)s.")
            % {"names": ", ".join(sorted(refused)[:10])},
            fields={
                "recipients": [
                    _("You may not write to %(names)s.") % {"names": ", ".join(sorted(refused)[:10])}
                ]
            },
        )


@transaction.atomic
def thread_start(
    *,
    actor: Actor | None,
    subject: str,
    body: str,
    recipients: list[Member] | None = None,
    audiences: list[Audience] | None = None,
    no_reply: bool = False,
    private: bool = False,
    uploads: list[Any] | None = None,
) -> Thread:
    """Write to people (each allowed by the communication rules) and groups (staff only; a group
    is for announcements and information the rules allow staff to send)."""
    sender = acting_member(actor)
    subject = subject.strip()
    if not subject:
        raise ValidationFailed(fields={"subject": [_("Give the message a subject.")]})
    body = _body(body)
    audiences = audiences or []
    if audiences and not set(sender.roles or []) & STAFF_ROLES:
        raise PermissionDenied(_("Only staff may write to a group."))
    people = list(recipients or [])
    recipients_check(sender, people)
    ids = {m.pk for m in people}
    if audiences:
        ids |= set(audiences_members(audiences).filter(may_write_to(sender)).values_list("pk", flat=True))
    ids.discard(sender.pk)
    if not ids:
        raise ValidationFailed(fields={"recipients": [_("Choose at least one recipient.")]})
    now = timezone.now()
    thread = Thread.objects.create(
        subject=subject[:200],
        started_by=sender,
        audience=", ".join(a.label() for a in audiences)[:300],
        no_reply=no_reply,
        private=private,
        last_message_at=now,
    )
    message = _message_add(thread, sender, body, uploads or [])
    Participant.objects.bulk_create(
        [
            Participant(
                thread=thread, member=sender, last_sent_at=message.created_at, last_read_at=message.created_at
            )
        ]
        + [
            Participant(thread=thread, member_id=pk, last_incoming_at=message.created_at)
            for pk in sorted(ids)
        ],
        batch_size=BATCH,
    )
    message_notify(actor=actor, message=message)
    audit(
        actor,
        "messaging.thread_started",
        thread,
        {
            "recipients": len(ids),
            "groups": [a.label() for a in audiences],
            "no_reply": no_reply,
            "private": private,
        },
    )
    return thread


def participant_of(thread: Thread, member: Member) -> Participant:
    participant = Participant.objects.filter(thread=thread, member=member).first()
    if participant is None:
        raise NotFound()
    return participant


@transaction.atomic
def message_reply(
    *, actor: Actor | None, thread: Thread, body: str, uploads: list[Any] | None = None
) -> Message:
    """A participant replies to everyone in the thread (not to an announcement, unless they
    started it)."""
    author = acting_member(actor)
    me = participant_of(thread, author)
    if thread.no_reply and thread.started_by_id != author.pk:
        raise PermissionDenied(_("This message does not accept replies."))
    message = _message_add(thread, author, _body(body), uploads or [])
    at = message.created_at
    Thread.objects.filter(pk=thread.pk).update(last_message_at=at)
    Participant.objects.filter(thread=thread).exclude(pk=me.pk).update(last_incoming_at=at, archived=False)
    Participant.objects.filter(pk=me.pk).update(last_sent_at=at, last_read_at=at)
    message_notify(actor=actor, message=message)
    audit(actor, "messaging.replied", thread, {"message_id": message.pk})
    return message


def thread_read(*, actor: Actor | None, thread: Thread) -> None:
    """A participant has read the thread up to now (what the sender's read receipts show). Not
    audited: reading changes nothing anyone may do."""
    member = acting_member(actor)
    Participant.objects.filter(thread=thread, member=member).update(last_read_at=timezone.now())


@transaction.atomic
def thread_archive(*, actor: Actor | None, thread: Thread, archived: bool) -> None:
    member = acting_member(actor)
    participant = participant_of(thread, member)
    participant.archived = archived
    participant.save(update_fields=["archived"])
    audit(actor, "messaging.archived" if archived else "messaging.unarchived", thread, {})
