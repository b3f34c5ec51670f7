"""Writes of support requests: open, assign, reply, resolve. Each leaves one audit entry.

A screenshot is stored through the default storage in the establishment's schema, so its name
starts with that establishment's prefix (``mbn_platform/kernel/storage.py``); a request from the portal
stores it under the public schema's prefix.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from shared_apps.identity.models import Membership, MembershipStatus, User
from shared_apps.support.impersonation import is_support_agent
from shared_apps.support.models import SupportReply, SupportRequest, SupportRequestStatus
from shared_apps.support.permissions import ESTABLISHMENT_SUPPORT_MANAGERS
from shared_apps.support.referents import works_requests_of
from shared_apps.support.tasks import support_reply_notify_task
from tenants.models import Establishment

MAX_SCREENSHOT_BYTES = 5 * 1024 * 1024
# What a screenshot may be, recognised by its first bytes (never by the name or the declared type).
IMAGE_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpg",
    b"GIF87a": "gif",
    b"GIF89a": "gif",
}


def _image_kind(head: bytes) -> str | None:
    for signature, kind in IMAGE_SIGNATURES.items():
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def _checked_screenshot(upload: UploadedFile) -> str:
    if upload.size is None or upload.size > MAX_SCREENSHOT_BYTES:
        raise ValidationFailed(fields={"screenshot": [_("A screenshot is an image of at most 5 MB.")]})
    upload.seek(0)
    kind = _image_kind(upload.read(16))
    upload.seek(0)
    if kind is None:
        raise ValidationFailed(
            fields={"screenshot": [_("A screenshot must be a PNG, JPEG, GIF or WebP image.")]}
        )
    return kind


def page_url_clean(*, value: str, request: HttpRequest | None = None) -> str:
    """The page a request came from: a path of this host, or an http(s) address; else nothing."""
    value = (value or "").strip()[:500]
    if value.startswith("/") and not value.startswith("//"):
        return request.build_absolute_uri(value)[:500] if request is not None else value
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") and parts.netloc:
        return value
    return ""


def _is_establishment_admin(user: Actor, establishment: Establishment | None) -> bool:
    return establishment is not None and (
        Membership.objects.filter(
            user_id=user.pk,
            establishment=establishment,
            status=MembershipStatus.ACTIVE,
            role__in=ESTABLISHMENT_SUPPORT_MANAGERS,
        ).exists()
    )


def support_request_create(
    *,
    actor: Actor,
    establishment: Establishment | None,
    subject: str,
    description: str,
    page_url: str = "",
    screenshot: UploadedFile | None = None,
    on_behalf_of: User | None = None,
    request: HttpRequest | None = None,
) -> SupportRequest:
    """Open a support request (for oneself, or, as an establishment admin, for one of its members)."""
    subject, description = subject.strip(), description.strip()
    errors: dict[str, list[Any]] = {}
    if not 3 <= len(subject) <= 200:
        errors["subject"] = [_("A subject of 3 to 200 characters.")]
    if not description or len(description) > 5000:
        errors["description"] = [_("Describe the problem (at most 5000 characters).")]
    if errors:
        raise ValidationFailed(fields=errors)
    if on_behalf_of is not None and on_behalf_of.pk == actor.pk:
        on_behalf_of = None
    if on_behalf_of is not None:
        if not _is_establishment_admin(actor, establishment):
            raise PermissionDenied(_("Only the establishment's administrators open requests for others."))
        if not Membership.objects.filter(
            user=on_behalf_of, establishment=establishment, status=MembershipStatus.ACTIVE
        ).exists():
            raise ValidationFailed(
                fields={"on_behalf_of": [_("No member of the establishment has this login.")]}
            )
    kind = _checked_screenshot(screenshot) if screenshot is not None else None
    schema = establishment.schema_name if establishment is not None else get_public_schema_name()
    with transaction.atomic(), schema_context(schema):
        support_request = SupportRequest(
            establishment=establishment,
            requester_id=actor.pk,
            on_behalf_of=on_behalf_of,
            subject=subject,
            description=description,
            page_url=page_url_clean(value=page_url, request=request),
        )
        if screenshot is not None:
            support_request.screenshot.save(f"screenshot.{kind}", screenshot, save=False)
        support_request.save()
        audit_record(
            actor=actor,
            action="support.request_created",
            establishment=establishment,
            target=support_request,
            details={"on_behalf_of": on_behalf_of.pk if on_behalf_of else None},
            request=request,
        )
    return support_request


@transaction.atomic
def support_request_assign(
    *,
    actor: Actor,
    support_request: SupportRequest,
    assignee: User | None = None,
    request: HttpRequest | None = None,
) -> SupportRequest:
    """A support agent takes a request (or gives it to another agent)."""
    if not is_support_agent(actor):
        raise NotFound()
    assignee_id = assignee.pk if assignee is not None else actor.pk
    if assignee is not None and not is_support_agent(assignee):
        raise ValidationFailed(fields={"assignee": [_("Only a support agent can be assigned.")]})
    locked = SupportRequest.objects.select_for_update().get(pk=support_request.pk)
    if locked.status == SupportRequestStatus.RESOLVED:
        raise Conflict(_("This request is resolved."), code=ErrorCode.REQUEST_RESOLVED)
    if locked.assignee_id == assignee_id:
        return locked
    locked.assignee_id = assignee_id
    locked.status = SupportRequestStatus.ASSIGNED
    locked.save(update_fields=["assignee", "status", "updated_at"])
    audit_record(
        actor=actor,
        action="support.request_assigned",
        establishment=locked.establishment,
        target=locked,
        details={"assignee_id": assignee_id},
        request=request,
    )
    return locked


def _may_take_part(user: Actor, support_request: SupportRequest) -> bool:
    """The requester, the person concerned, the establishment's admins and digital referents,
    support agents."""
    return (
        user.pk in (support_request.requester_id, support_request.on_behalf_of_id)
        or is_support_agent(user)
        or works_requests_of(user, support_request.establishment)
    )


def _answers_for_support(user: Actor, support_request: SupportRequest) -> bool:
    """A reply that answers the requester: a support agent's, or the establishment's referent's
    or leader's (the requester is told of it by e-mail)."""
    if user.pk in (support_request.requester_id, support_request.on_behalf_of_id):
        return False
    return is_support_agent(user) or works_requests_of(user, support_request.establishment)


@transaction.atomic
def support_reply_add(
    *, actor: Actor, support_request: SupportRequest, body: str, request: HttpRequest | None = None
) -> SupportReply:
    """Add a reply; the other side is told by e-mail (a task, once the reply is committed)."""
    if not _may_take_part(actor, support_request):
        raise NotFound()
    body = body.strip()
    if not body or len(body) > 5000:
        raise ValidationFailed(fields={"body": [_("Write a reply (at most 5000 characters).")]})
    if support_request.status == SupportRequestStatus.RESOLVED:
        raise Conflict(_("This request is resolved."), code=ErrorCode.REQUEST_RESOLVED)
    reply = SupportReply.objects.create(
        request=support_request,
        author_id=actor.pk,
        body=body,
        from_support=_answers_for_support(actor, support_request),
    )
    SupportRequest.objects.filter(pk=support_request.pk).update(updated_at=timezone.now())
    audit_record(
        actor=actor,
        action="support.reply_added",
        establishment=support_request.establishment,
        target=support_request,
        details={"reply_id": reply.pk, "from_support": reply.from_support},
        request=request,
    )
    transaction.on_commit(
        lambda: support_reply_notify_task.apply_async(
            args=(reply.pk,), queue=settings.CELERY_TASK_DEFAULT_QUEUE
        )
    )
    return reply


@transaction.atomic
def support_request_resolve(
    *, actor: Actor, support_request: SupportRequest, request: HttpRequest | None = None
) -> SupportRequest:
    """Close a request (a support agent, its requester, the establishment's referents or leaders)."""
    if not (
        is_support_agent(actor)
        or actor.pk == support_request.requester_id
        or works_requests_of(actor, support_request.establishment)
    ):
        raise NotFound()
    locked = SupportRequest.objects.select_for_update().get(pk=support_request.pk)
    if locked.status == SupportRequestStatus.RESOLVED:
        return locked
    locked.status = SupportRequestStatus.RESOLVED
    locked.resolved_at = timezone.now()
    locked.save(update_fields=["status", "resolved_at", "updated_at"])
    audit_record(
        actor=actor,
        action="support.request_resolved",
        establishment=locked.establishment,
        target=locked,
        request=request,
    )
    return locked
