from django.apps import AppConfig


class ProbeConfig(AppConfig):
    name = "tests.provisioning.probe_app"
    label = "provisioning_probe"
    default_auto_field = "django.db.models.BigAutoField"
