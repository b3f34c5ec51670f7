from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolConfig(AppConfig):
    name = "tenant_apps.school"
    label = "school"
    verbose_name = _("School")

    def ready(self) -> None:
        # Identity, the directory and provisioning reach the establishment's schema through these.
        from tenant_apps.school.hooks import hooks_register

        hooks_register()
        from tenant_apps.school.privacy import register

        register()
