"""Messaging inside one establishment (one copy per schema): threads between its members, their
messages and files, each participant's folder state (inbox, sent, archived) and reading (the
sender's read receipts), reports to moderation, and the establishment's communication rules (who
may write to whom; the default matrix is ``rules.py``)."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from shared_apps.identity.roles import Role
from tenant_apps.school.models import Member


class Reach(models.TextChoices):
    NONE = "none", _("No one")
    RELATED = "related", _("Only those related to them")
    ALL = "all", _("Everyone")


class CommunicationRule(models.Model):
    """Whom a role may write to, for one role of recipients (a row overrides the default)."""

    sender_role = models.CharField(_("sender"), max_length=32, choices=Role.choices)
    recipient_role = models.CharField(_("recipient"), max_length=32, choices=Role.choices)
    reach = models.CharField(_("may write to"), max_length=8, choices=Reach.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("communication rule")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["sender_role", "recipient_role"], name="messaging_rule_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.sender_role} → {self.recipient_role}: {self.reach}"


class Thread(models.Model):
    subject = models.CharField(_("subject"), max_length=200)
    started_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    #: The groups it was sent to, as the sender chose them ("Guardians of 4e B"), for display.
    audience = models.CharField(max_length=300, blank=True, default="")
    no_reply = models.BooleanField(_("no reply (an announcement)"), default=False)
    private = models.BooleanField(_("private (never shown to a support agent)"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField()

    class Meta:
        verbose_name = _("thread")
        ordering: ClassVar = ["-last_message_at", "-pk"]

    def __str__(self) -> str:
        return self.subject


class Participant(models.Model):
    """One member in one thread: their folders and what they have read."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="participants")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    #: Latest message by someone else (the thread is in their inbox), and by themselves (in sent).
    last_incoming_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    last_read_at = models.DateTimeField(null=True, blank=True)
    archived = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("participant")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["thread", "member"], name="messaging_participant_unique"),
        ]
        indexes: ClassVar = [
            models.Index(fields=["member", "archived", "-last_incoming_at"], name="messaging_inbox_idx"),
            models.Index(fields=["member", "-last_sent_at"], name="messaging_sent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.thread_id} {self.member_id}"

    @property
    def unread(self) -> bool:
        return self.last_incoming_at is not None and (
            self.last_read_at is None or self.last_read_at < self.last_incoming_at
        )


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"))
    created_at = models.DateTimeField()
    #: The thread's subject and this body, in French (PostgreSQL full-text search).
    search = SearchVectorField(null=True)

    class Meta:
        verbose_name = _("message")
        ordering: ClassVar = ["created_at", "pk"]
        indexes: ClassVar = [
            GinIndex(fields=["search"], name="messaging_message_search_idx"),
            models.Index(fields=["thread", "created_at"], name="messaging_message_thread_idx"),
        ]

    def __str__(self) -> str:
        return self.body[:40]


class MessageAttachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="messaging/%Y/%m/", max_length=300)
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)

    class Meta:
        verbose_name = _("message attachment")
        ordering: ClassVar = ["pk"]

    def __str__(self) -> str:
        return self.name


class Report(models.Model):
    """A message reported to moderation by one of its readers."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reported_by = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution = models.CharField(_("what was done"), max_length=500, blank=True, default="")

    class Meta:
        verbose_name = _("report")
        ordering: ClassVar = ["-created_at", "-pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["message", "reported_by"], name="messaging_report_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} {self.reason[:30]}"
