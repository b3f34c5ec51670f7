from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "tenant_apps.attendance"
    label = "attendance"
    verbose_name = _("Attendance")

    def ready(self) -> None:
        from tenant_apps.attendance import family_news  # noqa: F401  (registers its provider)
        from tenant_apps.attendance.navigation import register_links, register_navigation

        register_navigation()
        register_links()
        from tenant_apps.attendance.privacy import register as privacy_declare

        privacy_declare()
        from django.db.models.signals import post_delete, post_save

        from tenant_apps.attendance.models import AttendancePolicy

        post_save.connect(_policy_changed, sender=AttendancePolicy, dispatch_uid="mbn-attendance-policy")
        post_delete.connect(
            _policy_changed, sender=AttendancePolicy, dispatch_uid="mbn-attendance-policy-del"
        )


def _policy_changed(**kwargs: object) -> None:
    from mbn_platform.kernel.tenant_cache import tenant_cache_forget
    from tenant_apps.attendance.selectors import HALF_DAY_SPLIT_KEY

    tenant_cache_forget(HALF_DAY_SPLIT_KEY)
