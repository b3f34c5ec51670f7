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
        from django.db.models.signals import post_delete, post_save

        from tenant_apps.grades.models import GradingPolicy, SubjectCoefficient

        # The cached policy and coefficients are forgotten on any change.
        for model in (GradingPolicy, SubjectCoefficient):
            uid = f"mbn-grades-policy-{model.__name__}"
            post_save.connect(_policy_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(_policy_changed, sender=model, dispatch_uid=f"{uid}-del")


def _policy_changed(**kwargs: object) -> None:
    from mbn_platform.kernel.tenant_cache import tenant_cache_forget
    from tenant_apps.grades.selectors import GRADING_POLICY_KEY, SUBJECT_COEFFICIENTS_KEY

    tenant_cache_forget(GRADING_POLICY_KEY, SUBJECT_COEFFICIENTS_KEY)
