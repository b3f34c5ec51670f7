"""The operators' services for the académies' feeds (their pages declare who may use them):
configure a feed, pause or resume it, read its new files now. Each is audited."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_changes, audit_record
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, ValidationFailed
from shared_apps.directory.aaf.sources import location_normalize
from shared_apps.directory.models import AafFeed
from tenants.models import Establishment


def academies() -> list[str]:
    """The académies of the region's establishments."""
    return list(Establishment.objects.order_by("academie").values_list("academie", flat=True).distinct())


@transaction.atomic
def aaf_feed_create(*, actor: Actor | None, academie: str, location: str) -> AafFeed:
    """One feed per académie: where its files land."""
    name = (academie or "").strip()
    if name not in academies():
        raise ValidationFailed(fields={"academie": [_("Choose an académie of the region's establishments.")]})
    normalized = location_normalize(location)
    if AafFeed.objects.filter(academie=name).exists():
        raise Conflict(
            _("This académie already has a feed: change its location instead."), code=ErrorCode.FEED_EXISTS
        )
    feed = AafFeed.objects.create(academie=name, location=normalized)
    audit_record(
        actor=actor,
        action="directory.feed_configured",
        target=feed,
        details={"academie": name, "location": normalized},
    )
    return feed


@transaction.atomic
def aaf_feed_update(*, actor: Actor | None, feed: AafFeed, location: str) -> AafFeed:
    normalized = location_normalize(location)
    if normalized == feed.location:
        return feed
    before = {"location": feed.location}
    feed.location = normalized
    feed.save(update_fields=["location", "updated_at"])
    audit_record(
        actor=actor,
        action="directory.feed_changed",
        target=feed,
        details={"academie": feed.academie, "changes": audit_changes(before, {"location": normalized})},
    )
    return feed


@transaction.atomic
def aaf_feed_pause(*, actor: Actor | None, feed: AafFeed, paused: bool) -> AafFeed:
    """Pause a feed (no new run starts; a run under way stops before its next establishment) or
    resume it (the next tick goes on where it stopped)."""
    locked = AafFeed.objects.select_for_update().get(pk=feed.pk)
    if locked.paused == paused:
        return locked
    locked.paused = paused
    locked.save(update_fields=["paused", "updated_at"])
    audit_record(
        actor=actor,
        action="directory.feed_paused" if paused else "directory.feed_resumed",
        target=locked,
        details={"academie": locked.academie},
    )
    return locked


def aaf_feed_run_now(*, actor: Actor | None, feed: AafFeed) -> None:
    """Read the feed's new files now rather than at the next tick (a task, once committed)."""
    from shared_apps.directory.aaf.tasks import aaf_feed_task

    if feed.paused:
        raise Conflict(_("This feed is paused: resume it first."), code=ErrorCode.FEED_PAUSED)
    audit_record(
        actor=actor, action="directory.feed_run_requested", target=feed, details={"academie": feed.academie}
    )
    feed_id = feed.pk
    transaction.on_commit(
        lambda: aaf_feed_task.apply_async(args=(feed_id,), queue=settings.CELERY_TASK_DEFAULT_QUEUE)
    )
