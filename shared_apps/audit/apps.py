from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "shared_apps.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        # Every app records through the kernel's ``audit_record``; this app keeps the log.
        from mbn_platform.kernel.audit import audit_recorder_register
        from shared_apps.audit.services import audit_entry_write

        audit_recorder_register(audit_entry_write)
        from shared_apps.audit.privacy import register

        register()
