from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsPublicConfig(AppConfig):
    """The notification service's public side: the ``notify`` entry point, preferences, delivery
    by e-mail and text message, the local mail catcher. The events are stored by
    ``tenant_apps.notifications`` (registered there at start-up)."""

    name = "shared_apps.notifications"
    label = "notifications_public"
    verbose_name = _("Notification preferences")

    def ready(self) -> None:
        from shared_apps.notifications.delivery.direct import direct_send, mail_to_contact
        from shared_apps.notifications.service import direct_sender_register

        direct_sender_register(direct_send, mail_to_contact)
