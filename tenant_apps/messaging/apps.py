from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "tenant_apps.messaging"
    label = "messaging"
    verbose_name = _("Messaging")

    def ready(self) -> None:
        from tenant_apps.messaging import portal  # noqa: F401  (registers its part of the portal's inbox)
        from tenant_apps.messaging.navigation import register_navigation

        register_navigation()
