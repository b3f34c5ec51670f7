from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "tenant_apps.news"
    label = "news"
    verbose_name = _("News and notices")

    def ready(self) -> None:
        from tenant_apps.news import family_news, portal  # noqa: F401  (register their providers)
        from tenant_apps.news.navigation import register_home_section, register_navigation

        register_navigation()
        register_home_section()
