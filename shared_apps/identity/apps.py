from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "shared_apps.identity"
    label = "identity"
    verbose_name = _("Identity")

    def ready(self) -> None:
        # The kernel decides access from roles it cannot look up itself (it imports no app).
        from mbn_platform.kernel.tenancy import roles_lookup_register
        from shared_apps.identity.selectors import roles_for

        roles_lookup_register(
            lambda user_id, establishment_id: roles_for(user_id=user_id, establishment_id=establishment_id)
        )
        from shared_apps.identity.privacy import register

        register()
        from shared_apps.identity.caching import signals_connect

        signals_connect()
