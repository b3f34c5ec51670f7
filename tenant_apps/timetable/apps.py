from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimetableConfig(AppConfig):
    name = "tenant_apps.timetable"
    label = "timetable"
    verbose_name = _("Timetable")

    def ready(self) -> None:
        from shared_apps.identity.family_week import lessons_provider_register
        from tenant_apps.school.navigation import NavEntry, navigation_register
        from tenant_apps.timetable.family_week import lessons_here

        lessons_provider_register(lessons_here)
        from tenant_apps.timetable.permissions import TIMETABLE_EDITORS, WEEK_READERS

        navigation_register(
            NavEntry(_("Timetable"), "timetable-week", WEEK_READERS, order=10),
            NavEntry(_("Manage the timetable"), "timetable-manage", TIMETABLE_EDITORS, order=70),
            NavEntry(_("Substitutions"), "timetable-substitutions", TIMETABLE_EDITORS, order=71),
        )
