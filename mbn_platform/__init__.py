"""The MBN Django project: settings, URLconfs, Celery app, the `mbn` command, shared plumbing."""
