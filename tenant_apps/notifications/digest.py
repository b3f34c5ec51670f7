"""The daily digest: one e-mail per person per day grouping the notifications of all their
children and schools, instead of one e-mail per notification.

Each establishment's schema is read on its own (one claim per schema: ``FOR UPDATE SKIP LOCKED``
then ``sending``, committed); the items are grouped per person across schemas, each person gets
one e-mail over one SMTP connection, and each schema's deliveries are marked sent (or put back
when the mail server failed). People in their quiet hours at the digest's time keep theirs for
the next run. A digest claimed by a worker that died stays ``sending`` (never sent twice).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tenants.utils import schema_context

from shared_apps.notifications.delivery.mail import Addressee, MailItem, Outcome, compose, send_batch
from shared_apps.notifications.preferences import Recipient, recipients_of
from tenant_apps.notifications.delivery import _item
from tenant_apps.notifications.models import Delivery, DeliveryStatus
from tenants.models import Establishment


@dataclass
class _Claim:
    establishment: Establishment
    by_user: dict[int, list[int]]  # user id → delivery ids
    items: dict[int, list[MailItem]]


def _claim(establishment: Establishment, now: datetime.datetime) -> _Claim:
    with schema_context(establishment.schema_name), transaction.atomic():
        deliveries = list(
            Delivery.objects.select_for_update(of=("self",), skip_locked=True)
            .filter(
                Q(not_before__isnull=True) | Q(not_before__lte=now),
                status=DeliveryStatus.PENDING,
                digest=True,
            )
            .select_related("recipient__notification")
            .order_by("recipient__notification__created_at", "pk")
        )
        Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(
            status=DeliveryStatus.SENDING, claimed_at=now
        )
        by_user: dict[int, list[int]] = defaultdict(list)
        items: dict[int, list[MailItem]] = defaultdict(list)
        for delivery in deliveries:
            by_user[delivery.recipient.user_id].append(delivery.pk)
            items[delivery.recipient.user_id].append(_item(delivery.recipient.notification, establishment))
    return _Claim(establishment=establishment, by_user=by_user, items=items)


def digest_run(*, establishments: Iterable[Establishment], now: datetime.datetime | None = None) -> int:
    """Send today's digests of these establishments' people; returns the number of e-mails."""
    now = now or timezone.now()
    claims = [
        _claim(est, now)
        for est in Establishment.objects.prefetch_related("domains").filter(
            pk__in=[est.pk for est in establishments]
        )
    ]
    user_ids = {pk for claim in claims for pk in claim.by_user}
    people = recipients_of(user_ids=user_ids)
    messages = {}
    later: set[int] = set()
    for user_id in sorted(user_ids):
        person = people.get(user_id)
        if person is None or not person.can_email():
            continue
        if person.held_until(now) is not None:
            later.add(user_id)
            continue
        items = [item for claim in claims for item in claim.items.get(user_id, [])]
        messages[user_id] = compose(
            to=Addressee(email=person.email, language=person.language, first_name=person.first_name),
            items=items,
            digest=True,
        )
    error: OSError | None = None
    try:
        settled = send_batch(messages)
    except OSError as exc:
        settled, error = getattr(exc, "settled", {}), exc
    for claim in claims:
        _settle(claim, settled, later, people, str(error or ""))
    if error is not None:
        raise error
    return sum(1 for outcome in settled.values() if outcome == Outcome.SENT)


def _settle(
    claim: _Claim, settled: dict[int, str], later: set[int], people: dict[int, Recipient], error: str
) -> None:
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for user_id, ids in claim.by_user.items():
        if user_id in settled:
            sent = settled[user_id] == Outcome.SENT
            groups[(DeliveryStatus.SENT if sent else DeliveryStatus.BOUNCED, "")] += ids
        elif user_id in later:
            groups[(DeliveryStatus.PENDING, "")] += ids
        elif user_id not in people or not people[user_id].can_email():
            groups[(DeliveryStatus.FAILED, "no address")] += ids
        else:
            groups[(DeliveryStatus.PENDING, error[:300])] += ids
    if not groups:
        return
    now = timezone.now()
    with schema_context(claim.establishment.schema_name), transaction.atomic():
        for (status, reason), ids in groups.items():
            changes: dict[str, object] = {"status": status, "error": reason}
            if status == DeliveryStatus.SENT:
                changes["sent_at"] = now
            Delivery.objects.filter(pk__in=ids).update(**changes)
