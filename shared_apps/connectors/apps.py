from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConnectorsConfig(AppConfig):
    name = "shared_apps.connectors"
    label = "connectors"
    verbose_name = _("Connected applications")
    default_auto_field = "django.db.models.BigAutoField"
