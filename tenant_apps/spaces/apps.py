from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpacesConfig(AppConfig):
    name = "tenant_apps.spaces"
    label = "spaces"
    verbose_name = _("Collaborative spaces")

    def ready(self) -> None:
        from tenant_apps.spaces import signals  # noqa: F401  (a space for each new class and group)
        from tenant_apps.spaces.documents_link import documents_register
        from tenant_apps.spaces.guests import guests_register
        from tenant_apps.spaces.navigation import register_navigation

        register_navigation()
        guests_register()
        documents_register()  # each space's right is its library's
