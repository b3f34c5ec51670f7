"""Delivery of the establishment's notifications by e-mail and text message (in its schema).

1. **Planning** (once per notification, ``notification_plan``): for each person, by their
   preferences (``shared_apps.notifications.preferences``), an e-mail delivery (in the daily
   digest, or on its own when they take one e-mail per notification or the type is urgent here)
   and, for an urgent type, a text message, and a push notification when the person subscribed a
   device (``shared_apps/notifications/delivery/push.py``); in the person's quiet hours all are
   held until they end (``not_before``). ``Delivery`` is unique per person and channel: planning twice plans
   nothing new.
2. **Sending** (``deliveries_send_due``): due deliveries are claimed in small batches (``FOR
   UPDATE SKIP LOCKED``, marked ``sending`` and committed), sent over one SMTP connection with
   one e-mail per person (several due notifications of a person make one e-mail), then marked
   ``sent``. A second run, or a second worker, finds nothing to claim: at most one e-mail per
   channel. A refused address is ``bounced`` (recorded publicly); an SMTP failure puts the rest of
   the batch back (``pending``) and raises, so the task retries with backoff. A batch whose worker
   died stays ``sending``: ``deliveries_expire_lost`` marks it ``unknown``, never resent.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from mbn_platform.kernel.tenancy import schema_name
from shared_apps.notifications.delivery.mail import Addressee, MailItem, Outcome, compose, send_batch
from shared_apps.notifications.delivery.push import push_enabled
from shared_apps.notifications.delivery.sms import SmsRefused, sms_enabled, sms_send
from shared_apps.notifications.preferences import Recipient, recipients_of
from shared_apps.notify.text import text_from_json
from shared_apps.notify.types import TYPE_RULES, Channel, EmailMode
from tenant_apps.notifications.models import Delivery, DeliveryStatus, Notification
from tenant_apps.notifications.push_delivery import push_deliveries
from tenants.models import Establishment
from tenants.selectors import establishment_absolute_url

MAX_ATTEMPTS = 5
LOST_AFTER = datetime.timedelta(minutes=30)


def _batch_size() -> int:
    return int(getattr(settings, "NOTIFICATIONS_EMAIL_BATCH", 50))


def establishment_here() -> Establishment | None:
    """The establishment of the schema selected (``schema_context`` sets a stand-in tenant)."""
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Establishment):
        return tenant
    return Establishment.objects.prefetch_related("domains").filter(schema_name=schema_name()).first()


def absolute_link(link: str, establishment: Establishment | None) -> str:
    if not link or link.startswith(("http://", "https://")):
        return link
    return establishment_absolute_url(establishment, link)


def notification_plan(
    *, notification_id: int, now: datetime.datetime | None = None
) -> list[datetime.datetime]:
    """Create the deliveries of a notification (once). Returns the times deliveries are held to."""
    now = now or timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .filter(pk=notification_id, planned_at__isnull=True)
            .first()
        )
        if notification is None:
            return []
        entries = dict(notification.recipients.values_list("user_id", "pk"))
        people = recipients_of(user_ids=entries)
        rows: list[Delivery] = []
        held: set[datetime.datetime] = set()
        for user_id, person in people.items():
            for channel, digest in _channels(person, notification):
                not_before = None if digest else person.held_until(now)
                if not_before is not None:
                    held.add(not_before)
                rows.append(
                    Delivery(
                        recipient_id=entries[user_id], channel=channel, digest=digest, not_before=not_before
                    )
                )
        Delivery.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
        notification.planned_at = now
        notification.save(update_fields=["planned_at"])
    return sorted(held)


def _channels(person: Recipient, notification: Notification) -> Iterable[tuple[str, bool]]:
    if person.can_email() and person.wants(notification.type, Channel.EMAIL):
        rule = TYPE_RULES.get(notification.type)
        digest = (
            person.mode == EmailMode.DIGEST and not notification.urgent and rule is not None and rule.digest
        )
        yield Channel.EMAIL.value, digest
    if (
        notification.urgent
        and person.phone
        and sms_enabled()
        and person.wants(notification.type, Channel.SMS)
    ):
        yield Channel.SMS.value, False
    if person.push and push_enabled() and person.wants(notification.type, Channel.PUSH):
        yield Channel.PUSH.value, False


def _claim(*, notification_id: int | None, now: datetime.datetime, size: int) -> list[int]:
    with transaction.atomic():
        due = Delivery.objects.select_for_update(skip_locked=True).filter(
            Q(not_before__isnull=True) | Q(not_before__lte=now), status=DeliveryStatus.PENDING, digest=False
        )
        if notification_id is not None:
            due = due.filter(recipient__notification_id=notification_id)
        ids = list(due.order_by("recipient__user_id", "pk").values_list("pk", flat=True)[:size])
        if ids:
            Delivery.objects.filter(pk__in=ids).update(status=DeliveryStatus.SENDING, claimed_at=now)
    return ids


def deliveries_send_due(*, notification_id: int | None = None, now: datetime.datetime | None = None) -> int:
    """Send every due delivery (of one notification, or all); returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    while True:
        ids = _claim(notification_id=notification_id, now=now, size=_batch_size())
        if not ids:
            return sent
        sent += _send_claimed(ids)


def _send_claimed(ids: list[int]) -> int:
    deliveries = list(
        Delivery.objects.filter(pk__in=ids).select_related("recipient__notification").order_by("pk")
    )
    people = recipients_of(user_ids={d.recipient.user_id for d in deliveries})
    here = establishment_here()
    school = here.name if here is not None else ""
    by_person: dict[int, list[Delivery]] = defaultdict(list)
    texts: list[Delivery] = []
    pushes: list[Delivery] = []
    for delivery in deliveries:
        if delivery.channel == Channel.SMS:
            texts.append(delivery)
        elif delivery.channel == Channel.PUSH:
            pushes.append(delivery)
        else:
            by_person[delivery.recipient.user_id].append(delivery)
    messages = {}
    outcome: dict[int, tuple[str, str]] = {}
    for user_id, own in by_person.items():
        person = people.get(user_id)
        if person is None or not person.can_email():
            outcome.update({d.pk: (DeliveryStatus.FAILED, "no address") for d in own})
            continue
        items = [_item(d.recipient.notification, here) for d in own]
        messages[user_id] = compose(
            to=Addressee(email=person.email, language=person.language, first_name=person.first_name),
            items=items,
        )
    error: OSError | None = None
    try:
        settled = send_batch(messages)
    except OSError as exc:
        settled, error = getattr(exc, "settled", {}), exc
    for user_id, own in by_person.items():
        if user_id in settled:
            status = DeliveryStatus.SENT if settled[user_id] == Outcome.SENT else DeliveryStatus.BOUNCED
            outcome.update({d.pk: (status, "") for d in own})
    for delivery in texts:
        outcome[delivery.pk] = _text(delivery, people.get(delivery.recipient.user_id), school)
    pushed = push_deliveries(pushes, people, here)
    outcome.update(pushed)
    if error is None and any(status == DeliveryStatus.PENDING for status, _reason in pushed.values()):
        error = OSError("a push service did not answer")  # retried with the task's backoff
    _record(deliveries, outcome, str(error or ""))
    if error is not None:
        raise error
    return sum(1 for status, _reason in outcome.values() if status == DeliveryStatus.SENT)


def _text(delivery: Delivery, person: Recipient | None, school: str) -> tuple[str, str]:
    if person is None or not person.phone:
        return DeliveryStatus.FAILED, "no number"
    from django.utils import translation

    with translation.override(person.language):
        text = f"{school}: {text_from_json(delivery.recipient.notification.title).render()}"
    try:
        sms_send(to=person.phone, text=text, reference=f"{schema_name()}-{delivery.pk}")
    except SmsRefused as exc:
        return DeliveryStatus.BOUNCED, str(exc)
    except OSError as exc:
        return DeliveryStatus.PENDING, str(exc)
    return DeliveryStatus.SENT, ""


def _item(notification: Notification, establishment: Establishment | None) -> MailItem:
    return MailItem(
        title=text_from_json(notification.title),
        body=text_from_json(notification.body),
        url=absolute_link(notification.link, establishment),
        school=establishment.name if establishment is not None else "",
        at=notification.created_at,
    )


def _record(deliveries: list[Delivery], outcome: dict[int, tuple[str, str]], error: str) -> None:
    """Write each delivery's result; what was not settled goes back to waiting (or fails after
    ``MAX_ATTEMPTS``). A few statements per batch, not one per person."""
    now = timezone.now()
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for delivery in deliveries:
        status, reason = outcome.get(delivery.pk, (DeliveryStatus.PENDING, error))
        if status == DeliveryStatus.PENDING and delivery.attempts + 1 >= MAX_ATTEMPTS:
            status = DeliveryStatus.FAILED
        groups[(status, reason[:300])].append(delivery.pk)
    with transaction.atomic():
        for (status, reason), pks in groups.items():
            changes: dict[str, object] = {"status": status, "error": reason}
            if status == DeliveryStatus.SENT:
                changes["sent_at"] = now
            Delivery.objects.filter(pk__in=pks).update(**changes)
        Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(attempts=_attempts_plus_one())


def _attempts_plus_one() -> object:
    from django.db.models import F

    return F("attempts") + 1


def deliveries_expire_lost(*, now: datetime.datetime | None = None) -> int:
    """Deliveries claimed by a worker that died long ago: ``unknown`` (never sent twice)."""
    now = now or timezone.now()
    return Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=now - LOST_AFTER).update(
        status=DeliveryStatus.UNKNOWN
    )
