from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "shared_apps.support"
    label = "support"
    verbose_name = _("Support desk")

    def ready(self) -> None:
        from shared_apps.support.privacy import register

        register()
