from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportCardsConfig(AppConfig):
    name = "tenant_apps.reportcards"
    label = "reportcards"
    verbose_name = _("Report cards")

    def ready(self) -> None:
        from tenant_apps.reportcards import family_news  # noqa: F401  (registers its provider)
        from tenant_apps.reportcards.navigation import register_navigation

        register_navigation()
