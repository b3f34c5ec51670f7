from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormsConfig(AppConfig):
    name = "tenant_apps.forms"
    label = "forms"
    verbose_name = _("Administrative desk")

    def ready(self) -> None:
        from tenant_apps.forms.navigation import register_navigation
        from tenant_apps.forms.privacy import register

        register_navigation()
        register()
