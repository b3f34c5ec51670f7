from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisciplineConfig(AppConfig):
    name = "tenant_apps.discipline"
    label = "discipline"
    verbose_name = _("Discipline")

    def ready(self) -> None:
        from tenant_apps.discipline.navigation import register_navigation

        register_navigation()
