from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "shared_apps.directory"
    label = "directory"
    verbose_name = _("Directory import")

    def ready(self) -> None:
        from shared_apps.directory import family_news  # noqa: F401  (registers its provider)
