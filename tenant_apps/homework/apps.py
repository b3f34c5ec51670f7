from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeworkConfig(AppConfig):
    name = "tenant_apps.homework"
    label = "homework"
    verbose_name = _("Homework notebook")

    def ready(self) -> None:
        from tenant_apps.homework import family_news  # noqa: F401  (registers its provider)
        from tenant_apps.homework.navigation import register_links, register_navigation

        register_navigation()
        register_links()
