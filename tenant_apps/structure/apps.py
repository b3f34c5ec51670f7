from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StructureConfig(AppConfig):
    name = "tenant_apps.structure"
    label = "structure"
    verbose_name = _("School structure")

    def ready(self) -> None:
        from tenant_apps.school.navigation import NavEntry, navigation_register
        from tenant_apps.structure.directory_store import directory_store_register
        from tenant_apps.structure.permissions import STRUCTURE_MANAGERS

        navigation_register(NavEntry(_("School structure"), "structure-home", STRUCTURE_MANAGERS, order=80))
        # The directory import reads and writes the structure through this store.
        directory_store_register()
