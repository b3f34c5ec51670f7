from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "tenant_apps.appointments"
    label = "appointments"
    verbose_name = _("Appointments")

    def ready(self) -> None:
        from tenant_apps.appointments.navigation import register_navigation

        register_navigation()
