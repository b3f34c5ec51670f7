"""The MBN Django project: settings, URLconfs, Celery app, the `mbn` command, shared plumbing."""

from mbn_platform.celery import app as celery_app

__all__ = ["celery_app"]
