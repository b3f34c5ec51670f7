"""The baseline of the page benchmarks: a bare Django project answering "hello" (no middleware,
no database), served by the same gunicorn as the platform."""

SECRET_KEY = "bench-only-bare-django-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "tests.perf.bare_project.urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict[str, object] = {}
USE_TZ = True
