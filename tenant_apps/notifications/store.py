"""The store ``notify`` calls in the establishment's schema: the event, one centre entry per
person (two statements for thousands of people), then the delivery task on commit."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from mbn_platform.kernel.tenancy import schema_name
from shared_apps.notifications.service import Event, Notified
from shared_apps.notifications.unread import unread_forget
from tenant_apps.notifications.models import Notification, NotificationPolicy, NotificationRecipient

BATCH = 2000


def urgent_types() -> set[str]:
    policy = NotificationPolicy.objects.first()
    return set(policy.urgent_types) if policy is not None else {"absence"}


def delivery_enqueue(*, notification_id: int, schema: str) -> None:
    """Queue the notification's delivery task, in its establishment's schema."""
    from tenant_apps.notifications.tasks import notification_deliver_task

    notification_deliver_task.apply_async((notification_id,), headers={"_schema_name": schema})


@transaction.atomic
def event_store(event: Event) -> Notified:
    if event.source:
        existing = Notification.objects.filter(type=event.type, source=event.source).first()
        if existing is not None:
            return Notified(notification_id=existing.pk, recipients=0, created=False)
    urgent = event.urgent if event.urgent is not None else event.type in urgent_types()
    now = timezone.now()
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                type=event.type,
                title=event.title.to_json(),
                body=event.body.to_json(),
                link=event.link,
                actor_id=event.actor_id,
                about_user_id=event.about_user_id,
                urgent=urgent,
                source=event.source,
                created_at=now,
            )
    except IntegrityError:  # the same source stored meanwhile by another process
        existing = Notification.objects.get(type=event.type, source=event.source)
        return Notified(notification_id=existing.pk, recipients=0, created=False)
    NotificationRecipient.objects.bulk_create(
        [
            NotificationRecipient(notification=notification, user_id=pk, created_at=now)
            for pk in event.recipients
        ],
        batch_size=BATCH,
    )
    notification_id, schema = notification.pk, schema_name()
    transaction.on_commit(lambda: unread_forget(user_ids=event.recipients))
    # The schema is named: by commit time the caller may have selected another one.
    transaction.on_commit(lambda: delivery_enqueue(notification_id=notification_id, schema=schema))
    return Notified(notification_id=notification_id, recipients=len(event.recipients))
