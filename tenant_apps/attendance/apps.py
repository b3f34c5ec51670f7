from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "tenant_apps.attendance"
    label = "attendance"
    verbose_name = _("Attendance")

    def ready(self) -> None:
        from tenant_apps.attendance import family_news  # noqa: F401  (registers its provider)
        from tenant_apps.attendance.navigation import register_links, register_navigation

        register_navigation()
        register_links()
        from tenant_apps.attendance.privacy import register as privacy_declare

        privacy_declare()
