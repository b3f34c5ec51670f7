from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GradesConfig(AppConfig):
    name = "tenant_apps.grades"
    label = "grades"
    verbose_name = _("Grades")

    def ready(self) -> None:
        from tenant_apps.grades import family_news  # noqa: F401  (registers its provider)
        from tenant_apps.grades.navigation import register_navigation

        register_navigation()
