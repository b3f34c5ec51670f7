"""The push notifications of a batch of claimed deliveries (``delivery._send_claimed``): one
message per person in their language, sent to each of their devices; a delivery is ``sent``
when one device took it, ``failed`` when the person has no device any more (the push services
forgot them: their subscriptions are gone), ``pending`` (retried) when no push service answered."""

from __future__ import annotations

from django.utils import translation

from mbn_platform.kernel.tenancy import schema_name
from shared_apps.notifications.delivery.push import PushMessage, PushOutcome, push_to_people
from shared_apps.notifications.preferences import Recipient
from shared_apps.notify.text import text_from_json
from tenant_apps.notifications.models import Delivery, DeliveryStatus
from tenants.models import Establishment
from tenants.selectors import establishment_absolute_url

STATUS = {
    PushOutcome.SENT: DeliveryStatus.SENT,
    PushOutcome.NO_DEVICE: DeliveryStatus.FAILED,
    PushOutcome.RETRY: DeliveryStatus.PENDING,
}


def _message(delivery: Delivery, person: Recipient, establishment: Establishment | None) -> PushMessage:
    notification = delivery.recipient.notification
    link = notification.link
    if link and not link.startswith(("http://", "https://")):
        link = establishment_absolute_url(establishment, link)
    with translation.override(person.language):
        title = text_from_json(notification.title).render()
        body = text_from_json(notification.body).render()
    school = establishment.name if establishment is not None else ""
    return PushMessage(
        title=f"{school}: {title}" if school else title,
        body=body,
        url=link,
        tag=f"{schema_name()}-{notification.pk}",
        language=person.language,
        urgent=notification.urgent,
    )


def push_deliveries(
    pushes: list[Delivery], people: dict[int, Recipient], establishment: Establishment | None
) -> dict[int, tuple[str, str]]:
    """The outcome of each push delivery, by delivery id."""
    if not pushes:
        return {}
    outcome: dict[int, tuple[str, str]] = {}
    by_person: dict[int, list[Delivery]] = {}
    for delivery in pushes:
        person = people.get(delivery.recipient.user_id)
        if person is None:
            outcome[delivery.pk] = (DeliveryStatus.FAILED, "no such person")
            continue
        # Several due notifications of one person: each is its own push (they stack on the device).
        by_person.setdefault(person.user_id, []).append(delivery)
    while any(by_person.values()):
        messages = {}
        taken: dict[int, Delivery] = {}
        for user_id, own in by_person.items():
            if own:
                taken[user_id] = own.pop(0)
                messages[user_id] = _message(taken[user_id], people[user_id], establishment)
        for user_id, (result, reason) in push_to_people(messages).items():
            outcome[taken[user_id].pk] = (STATUS[result], reason)
    return outcome
