"""News: written by the publishers (``permissions.py``), saved as drafts, published now or at a
chosen time (the beat task publishes what is due and removes what has expired, see ``news_tick``),
withdrawn, expired, deleted. Its readers are told once, when it first becomes published."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.errors import NotFound, PermissionDenied, ValidationFailed
from mbn_platform.kernel.richtext import rich_text_clean
from mbn_platform.kernel.uploads import GIF, JPEG, PNG, safe_file_name, upload_kind
from shared_apps.identity.public_news import public_news_forget
from shared_apps.notify.service import notify
from shared_apps.notify.text import Text
from shared_apps.notify.types import NotificationType
from tenant_apps.news.audience import KINDS, Audience, GroupAudience, Target, item_readers
from tenant_apps.news.cache import news_changed
from tenant_apps.news.models import NewsEditor, NewsItem, NewsState, NewsTarget, Visibility
from tenant_apps.news.permissions import NEWS_EDITOR_MANAGERS, NEWS_PUBLISHERS, NEWS_WRITERS
from tenant_apps.news.services.common import acting_member, audit
from tenant_apps.school.models import Member

MAX_IMAGE_BYTES = 5 * 1024 * 1024
IMAGE_KINDS = (PNG, JPEG, GIF)


def may_publish(member: Member) -> bool:
    return (
        bool(set(member.roles or []) & NEWS_PUBLISHERS) or NewsEditor.objects.filter(member=member).exists()
    )


def publisher(actor: Actor | None) -> Member:
    """The acting member, who must be allowed to publish news."""
    member = acting_member(actor, NEWS_WRITERS)
    if not may_publish(member):
        raise PermissionDenied()
    return member


def _check_dates(publish_at: datetime.datetime | None, expire_at: datetime.datetime | None) -> None:
    if expire_at is not None and expire_at <= (publish_at or timezone.now()):
        raise ValidationFailed(fields={"expire_at": [str(_("Choose a time after the publication."))]})


def _check_targets(visibility: str, targets: Sequence[Target]) -> None:
    if visibility not in Visibility.values:
        raise ValidationFailed(fields={"visibility": [str(_("Choose who sees it."))]})
    if visibility == Visibility.TARGETED and not targets:
        raise ValidationFailed(fields={"targets": [str(_("Choose at least one group."))]})
    for target in targets:
        if isinstance(target, Audience) and (
            target.kind not in KINDS or (target.kind != "staff") != (target.school_class is not None)
        ):
            raise ValidationFailed(fields={"targets": [str(_("Unknown group."))]})


@transaction.atomic
def news_save(
    *,
    actor: Actor | None,
    item: NewsItem | None = None,
    title: str,
    body: str,
    visibility: str,
    targets: Sequence[Target] = (),
    expire_at: datetime.datetime | None = None,
    image_alt: str = "",
) -> NewsItem:
    """Write a new item (a draft) or change one (a published item stays published; its readers are
    not told again)."""
    member = publisher(actor)
    title = title.strip()[:200]
    if not title:
        raise ValidationFailed(fields={"title": [str(_("This field is required."))]})
    _check_targets(visibility, targets)
    created = item is None
    if item is None:
        item = NewsItem(author=member)
    before = {"title": item.title, "visibility": item.visibility, "expire_at": item.expire_at}
    _check_dates(item.publish_at if item.state == NewsState.SCHEDULED else None, expire_at)
    item.title, item.body, item.visibility = title, rich_text_clean(body), visibility
    item.expire_at, item.image_alt = expire_at, image_alt.strip()[:200]
    item.save()
    item.targets.all().delete()
    if visibility == Visibility.TARGETED:
        NewsTarget.objects.bulk_create(
            [
                NewsTarget(item=item, kind="group", group=t.group)
                if isinstance(t, GroupAudience)
                else NewsTarget(item=item, kind=t.kind, school_class=t.school_class)
                for t in set(targets)
            ]
        )
    details: dict[str, Any] = {"title": title, "visibility": visibility, "targets": len(set(targets))}
    if not created:
        details["before"] = {k: str(v) for k, v in before.items()}
    audit(actor, "news.created" if created else "news.changed", item, details)
    news_changed()
    if item.state == NewsState.PUBLISHED or before["visibility"] == Visibility.PUBLIC:
        transaction.on_commit(public_news_forget)
    return item


@transaction.atomic
def news_image_set(*, actor: Actor | None, item: NewsItem, upload: Any) -> NewsItem:
    """Give an item its image (PNG, JPEG or GIF told by its content, 5 MB at most), stored under
    the establishment's prefix; the previous image goes."""
    publisher(actor)
    kind = upload_kind(upload, field="image", max_bytes=MAX_IMAGE_BYTES)
    if kind not in IMAGE_KINDS:
        raise ValidationFailed(fields={"image": [str(_("Send a PNG, JPEG or GIF image."))]})
    old = item.image.name
    name = safe_file_name(getattr(upload, "name", ""), kind.extension, default="image")
    item.image.save(name, upload, save=False)
    item.image_type = kind.content_type
    item.save(update_fields=["image", "image_type", "updated_at"])
    if old:
        storage = item.image.storage
        transaction.on_commit(lambda: storage.delete(old))
    audit(actor, "news.image_set", item, {"name": name})
    return item


def _tell_readers(item: NewsItem, now: datetime.datetime) -> None:
    """Tell the item's readers, once (``notified_at``, and notify's own idempotency key)."""
    if item.notified_at is not None:
        return
    readers = item_readers(item).exclude(pk=item.author_id).values_list("user_id", flat=True)
    notify(
        actor=None,
        type=NotificationType.NEWS,
        recipients=list(readers),
        title=Text(gettext_noop("News: %(title)s"), title=item.title),
        body=strip_tags(item.body)[:200],
        link=f"/news/{item.pk}/",
        source=f"news:{item.pk}",
    )
    item.notified_at = now
    item.save(update_fields=["notified_at"])


def _make_published(item: NewsItem, now: datetime.datetime) -> None:
    item.state = NewsState.PUBLISHED
    item.published_at = item.published_at or now
    item.publish_at = None
    item.save(update_fields=["state", "published_at", "publish_at", "updated_at"])
    _tell_readers(item, now)
    news_changed()
    if item.visibility == Visibility.PUBLIC:
        transaction.on_commit(public_news_forget)


@transaction.atomic
def news_publish(*, actor: Actor | None, item: NewsItem, at: datetime.datetime | None = None) -> NewsItem:
    """Publish an item now (``at`` empty or past) or schedule it for ``at``."""
    publisher(actor)
    item = NewsItem.objects.select_for_update().get(pk=item.pk)
    now = timezone.now()
    if item.state == NewsState.PUBLISHED:
        return item
    if at is not None and at > now:
        _check_dates(at, item.expire_at)
        item.state, item.publish_at = NewsState.SCHEDULED, at
        item.save(update_fields=["state", "publish_at", "updated_at"])
        audit(actor, "news.scheduled", item, {"publish_at": at.isoformat()})
        return item
    _check_dates(None, item.expire_at)
    _make_published(item, now)
    audit(actor, "news.published", item, {"visibility": item.visibility})
    return item


@transaction.atomic
def news_withdraw(*, actor: Actor | None, item: NewsItem) -> NewsItem:
    """Back to a draft: a scheduled item is not published; a published one is no longer shown."""
    publisher(actor)
    was = item.state
    if was == NewsState.DRAFT:
        return item
    item.state, item.publish_at = NewsState.DRAFT, None
    item.save(update_fields=["state", "publish_at", "updated_at"])
    audit(actor, "news.withdrawn", item, {"from": was})
    news_changed()
    transaction.on_commit(public_news_forget)
    return item


@transaction.atomic
def news_delete(*, actor: Actor | None, item: NewsItem) -> None:
    publisher(actor)
    if item.pk is None:
        raise NotFound()
    stored, storage = item.image.name, item.image.storage
    audit(actor, "news.deleted", item, {"title": item.title, "state": item.state})
    item.delete()
    news_changed()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))
    transaction.on_commit(public_news_forget)


def news_tick(now: datetime.datetime | None = None) -> tuple[int, int]:
    """Publish the scheduled items that are due and expire the published ones whose time is over,
    in the current schema (idempotent: each row is taken once, locked, then changed; a second run
    finds nothing). Returns (published, expired)."""
    now = now or timezone.now()
    published = expired = 0
    with transaction.atomic():
        due = NewsItem.objects.select_for_update(skip_locked=True).filter(
            state=NewsState.SCHEDULED, publish_at__lte=now
        )
        for item in due:
            _make_published(item, now)
            audit(None, "news.published", item, {"scheduled": True})
            published += 1
        over = NewsItem.objects.select_for_update(skip_locked=True).filter(
            state=NewsState.PUBLISHED, expire_at__lte=now
        )
        for item in over:
            item.state = NewsState.EXPIRED
            item.save(update_fields=["state", "updated_at"])
            audit(None, "news.expired", item, {})
            expired += 1
        if expired:
            news_changed()
            transaction.on_commit(public_news_forget)
    return published, expired


@transaction.atomic
def news_editor_set(*, actor: Actor | None, member: Member, allowed: bool) -> None:
    """The head or the establishment's admin allows a member of staff to publish news, or stops."""
    acting_member(actor, NEWS_EDITOR_MANAGERS)
    if not set(member.roles or []) & NEWS_WRITERS or not member.is_active:
        raise ValidationFailed(fields={"member_id": [str(_("Choose a member of staff."))]})
    if allowed:
        _row, changed = NewsEditor.objects.get_or_create(
            member=member, defaults={"granted_by_id": getattr(actor, "pk", None)}
        )
    else:
        changed = NewsEditor.objects.filter(member=member).delete()[0] > 0
    if changed:
        audit(actor, "news.editor_added" if allowed else "news.editor_removed", member, {})
