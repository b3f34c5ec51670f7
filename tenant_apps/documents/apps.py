from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "tenant_apps.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from tenant_apps.documents.navigation import register_navigation

        register_navigation()
