from django.apps import AppConfig


class PlatformConfig(AppConfig):
    name = "mbn_platform"
    verbose_name = "MBN platform"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        # Configure the Celery app in every process, so that tasks enqueued by the web use it.
        from mbn_platform.config import celery  # noqa: F401

        # Every statement of every process: writes bump their table's generation, reads are
        # recorded while a page is rendered to be held (kernel/table_reads.py).
        connection_created.connect(_watch, dispatch_uid="mbn-table-reads")


def _watch(sender: object, connection: object, **kwargs: object) -> None:
    from mbn_platform.kernel.table_reads import watch_connection

    watch_connection(connection)  # type: ignore[arg-type]
