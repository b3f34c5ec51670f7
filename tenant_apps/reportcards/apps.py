from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportCardsConfig(AppConfig):
    name = "tenant_apps.reportcards"
    label = "reportcards"
    verbose_name = _("Report cards")

    def ready(self) -> None:
        pass
