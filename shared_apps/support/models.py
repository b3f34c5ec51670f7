"""The support desk (public schema): support requests, their replies, and impersonations.

A support request may come from any host: on an establishment's host it belongs to that
establishment (its admins see it), on the portal it has none. An ``Impersonation`` is a support
agent acting as a user of one establishment, read-only unless a second agent approved writes; each
request made during it is an ``impersonation.request`` audit entry (what was viewed).
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from shared_apps.identity.models import User


class SupportRequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ASSIGNED = "assigned", _("Assigned")
    RESOLVED = "resolved", _("Resolved")


class SupportTopic(models.TextChoices):
    CANNOT_SIGN_IN = "cannot_sign_in", _("I cannot sign in")
    LOST_AUTHENTICATOR = "lost_authenticator", _("I lost my authenticator app")
    ACTIVATION = "activation", _("I cannot activate my account")
    OTHER = "other", _("Something else")


def new_uid() -> str:
    return secrets.token_hex(8)


def screenshot_upload_to(instance: SupportRequest, filename: str) -> str:
    # The storage prefixes the name with the schema of the establishment (mbn_platform/kernel/storage.py).
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"support/screenshots/{timezone.now():%Y/%m}/{instance.requester_id}-{instance.uid}.{suffix}"


class SupportRequest(models.Model):
    establishment = models.ForeignKey(
        "tenants.Establishment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="support_requests",
    )
    # None: someone who could not sign in wrote through the help page (their name and address
    # are in ``contact_name``/``contact_email``).
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="support_requests",
    )
    contact_name = models.CharField(_("name"), max_length=150, blank=True, default="")
    contact_email = models.EmailField(_("e-mail address"), blank=True, default="")
    topic = models.CharField(
        _("topic"), max_length=32, choices=SupportTopic.choices, default=SupportTopic.OTHER
    )
    # An establishment admin may open a request on behalf of one of its members.
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="support_requests_about",
    )
    uid = models.CharField(max_length=32, default=new_uid, editable=False)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    page_url = models.CharField(_("page"), max_length=500, blank=True, default="")
    screenshot = models.FileField(_("screenshot"), upload_to=screenshot_upload_to, blank=True, max_length=300)
    status = models.CharField(
        _("status"), max_length=16, choices=SupportRequestStatus.choices, default=SupportRequestStatus.OPEN
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_requests_assigned",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # The establishment's digital referent could not solve it: the region's agents take it over,
    # with the history (its replies).
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    escalation_note = models.TextField(blank=True, default="", max_length=2000)

    class Meta:
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        ordering: ClassVar = ["-created_at", "-pk"]
        indexes: ClassVar = [
            models.Index(fields=["status", "-created_at"], name="support_req_status_idx"),
            models.Index(fields=["establishment", "-created_at"], name="support_req_estab_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"

    @property
    def person(self) -> User | None:
        """The person the request is about: the one it was opened for, or its requester."""
        return self.on_behalf_of or self.requester

    @property
    def person_id(self) -> int | None:
        person = self.on_behalf_of_id or self.requester_id
        return int(person) if person is not None else None

    @property
    def who(self) -> str:
        """Who wrote: their name (a signed-in person's, or the one given on the help page)."""
        if self.requester is not None:
            return self.requester.display_name
        return self.contact_name or self.contact_email


class SupportReply(models.Model):
    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("reply"), max_length=5000)
    from_support = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("support reply")
        verbose_name_plural = _("support replies")
        ordering: ClassVar = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"reply {self.pk} to #{self.request_id}"


class ImpersonationEnd(models.TextChoices):
    STOPPED = "stopped", _("Stopped by the agent")
    EXPIRED = "expired", _("Time limit reached")
    SIGNED_OUT = "signed_out", _("The agent signed out")
    TARGET_UNAVAILABLE = "target_unavailable", _("The account became unavailable")


class Impersonation(models.Model):
    """A support agent seeing an establishment's pages as one of its users."""

    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    target = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="impersonations"
    )
    establishment = models.ForeignKey(
        "tenants.Establishment", on_delete=models.CASCADE, related_name="impersonations"
    )
    support_request = models.ForeignKey(
        SupportRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="impersonations"
    )
    reason = models.TextField(_("reason"), max_length=2000, blank=True, default="")
    started_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_reason = models.CharField(max_length=32, choices=ImpersonationEnd.choices, blank=True, default="")
    write_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    write_approval_reason = models.TextField(blank=True, default="")
    write_approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("impersonation")
        verbose_name_plural = _("impersonations")
        ordering: ClassVar = ["-started_at", "-pk"]
        indexes: ClassVar = [
            models.Index(fields=["establishment", "-started_at"], name="support_imp_estab_idx"),
            models.Index(fields=["target", "-started_at"], name="support_imp_target_idx"),
            models.Index(fields=["agent", "ended_at"], name="support_imp_agent_idx"),
        ]

    def __str__(self) -> str:
        return f"impersonation {self.pk}: {self.agent_id} as {self.target_id}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None and self.expires_at > timezone.now()

    @property
    def writes_allowed(self) -> bool:
        return self.write_approved_by_id is not None

    @property
    def seconds_left(self) -> int:
        return max(0, int((self.expires_at - timezone.now()).total_seconds()))

    @property
    def minutes_left(self) -> int:
        return (self.seconds_left + 59) // 60

    @property
    def effective_end(self) -> object:
        """When it ended (or will end: an unended one past its limit ended at its limit)."""
        if self.ended_at is not None:
            return self.ended_at
        return self.expires_at if self.expires_at <= timezone.now() else None


class HelpAudience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    FAMILIES = "families", _("Students and families")
    STAFF = "staff", _("Establishment staff")
    REFERENTS = "referents", _("Digital referents and administrators")


class HelpGuide(models.Model):
    """A short guide of the help centre, written by the region's operators; found by its title
    and text (PostgreSQL full-text search, in French)."""

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=150)
    audience = models.CharField(
        _("for"), max_length=16, choices=HelpAudience.choices, default=HelpAudience.EVERYONE
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True, default="")
    body = models.TextField(_("text"), max_length=20000)
    published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("help guide")
        ordering: ClassVar = ["audience", "title"]
        indexes: ClassVar = [
            GinIndex(
                SearchVector("title", "summary", "body", config="french"), name="support_guide_search_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title
