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
        # The connectors (LTI launches and rosters, the GAR's export) read classes through this.
        from tenant_apps.structure.rosters import roster_register

        roster_register()
        from django.db.models.signals import post_delete, post_save

        from tenant_apps.structure.models import SchoolYear

        post_save.connect(_years_changed, sender=SchoolYear, dispatch_uid="mbn-structure-years")
        post_delete.connect(_years_changed, sender=SchoolYear, dispatch_uid="mbn-structure-years-del")


def _years_changed(**kwargs: object) -> None:
    from mbn_platform.kernel.tenant_cache import tenant_cache_forget
    from tenant_apps.structure.selectors import SCHOOL_YEARS_KEY

    tenant_cache_forget(SCHOOL_YEARS_KEY)
