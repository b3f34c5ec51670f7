"""What the support desk holds about people (``mbn_platform.kernel.privacy``)."""

from __future__ import annotations

import datetime
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_public_schema_name, schema_context

from mbn_platform.kernel.privacy import REGION, ExportPart, Processing, privacy_register
from shared_apps.support.models import Impersonation, SupportRequest, SupportRequestStatus


def _export(user_ids: frozenset[int]) -> list[ExportPart]:
    requests = SupportRequest.objects.filter(
        Q(requester_id__in=user_ids) | Q(on_behalf_of_id__in=user_ids)
    ).select_related("establishment")
    rows, files = [], []
    for item in requests:
        rows.append(
            {
                "id": item.pk,
                "establishment": item.establishment.uai if item.establishment else "",
                "subject": item.subject,
                "description": item.description,
                "status": item.status,
                "created_at": str(item.created_at),
                "replies": [
                    {"at": str(r.created_at), "from_support": r.from_support, "body": r.body}
                    for r in item.replies.all()
                ],
            }
        )
        if item.screenshot:
            schema = item.establishment.schema_name if item.establishment else get_public_schema_name()
            with schema_context(schema), item.screenshot.open("rb") as stored:
                files.append(
                    (f"support/{item.pk}-{(item.screenshot.name or '').rsplit('/', 1)[-1]}", stored.read())
                )
    impersonations = [
        {
            "establishment": i.establishment.uai,
            "agent": i.agent.display_name,
            "reason": i.reason,
            "started_at": str(i.started_at),
            "ended_at": str(i.ended_at or ""),
        }
        for i in Impersonation.objects.filter(target_id__in=user_ids).select_related("agent", "establishment")
    ]
    return [ExportPart("support_requests", rows, files), ExportPart("impersonations", impersonations)]


def _purge(now: datetime.datetime) -> int:
    days = settings.PRIVACY_RETENTION_DAYS
    resolved = SupportRequest.objects.filter(status=SupportRequestStatus.RESOLVED)
    count = 0
    shots = resolved.filter(resolved_at__lt=now - timedelta(days=days["support_screenshots"])).exclude(
        screenshot=""
    )
    for item in shots.select_related("establishment"):
        schema = item.establishment.schema_name if item.establishment else get_public_schema_name()
        with schema_context(schema):
            item.screenshot.delete(save=False)
        SupportRequest.objects.filter(pk=item.pk).update(screenshot="")
        count += 1
    old = resolved.filter(resolved_at__lt=now - timedelta(days=days["resolved_support_requests"]))
    count += old.delete()[1].get(SupportRequest._meta.label, 0)
    return count


def register() -> None:
    privacy_register(
        Processing(
            key="support.requests",
            name=_("Support requests and impersonations"),
            purpose=_("Help people who meet a problem, with their consent to see their pages if needed."),
            legal_basis=_("Public interest mission of the region (digital workspace for its schools)."),
            data=[_("request, replies, screenshot, name and e-mail of those who wrote without an account")],
            people=[_("anyone who asks for help"), _("people impersonated")],
            recipients=[
                _("the establishment's digital referents and leaders"),
                _("the region's support agents"),
            ],
            retention=_("Screenshots 30 days after resolution; requests 1 year after resolution."),
            scope=REGION,
            export=_export,
            purge=_purge,
        )
    )
