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

        from tenant_apps.structure.models import Period, SchoolYear

        # The cached years and periods (a period holds its year) are forgotten on any change.
        for model in (SchoolYear, Period):
            uid = f"mbn-structure-calendar-{model.__name__}"
            post_save.connect(_calendar_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(_calendar_changed, sender=model, dispatch_uid=f"{uid}-del")


def _calendar_changed(**kwargs: object) -> None:
    from mbn_platform.kernel.tenant_cache import tenant_cache_forget
    from tenant_apps.structure.selectors import CALENDAR_KEYS

    tenant_cache_forget(*CALENDAR_KEYS)
