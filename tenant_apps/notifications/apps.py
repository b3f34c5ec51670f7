from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Notifications in the establishment's schema: the events, each person's centre entries and
    their deliveries. Registers its store with the public ``notify`` at start-up."""

    name = "tenant_apps.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from shared_apps.notifications.service import event_store_register
        from shared_apps.notifications.unread import unread_counter_register
        from tenant_apps.notifications.centre import unread_total
        from tenant_apps.notifications.store import event_store

        event_store_register(event_store)
        unread_counter_register(unread_total)
