from django.apps import AppConfig


class PlatformConfig(AppConfig):
    name = "mbn_platform"
    verbose_name = "MBN platform"

    def ready(self) -> None:
        # Configure the Celery app in every process, so that tasks enqueued by the web use it.
        from mbn_platform.config import celery  # noqa: F401
