import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mbn_platform.config.settings")
application = get_wsgi_application()

# gunicorn --preload loads the application once, in the master, and forks the workers from it
# (a recycled worker then starts in milliseconds instead of importing Django again); what the
# first requests would build (views, templates, catalogs) is built here too (warm.py). Nothing
# the master opened while loading may be shared by the workers: close its database connections
# (Redis clients reconnect by themselves in a forked process).
from django.db import connections  # noqa: E402

from mbn_platform.config.warm import warm_up  # noqa: E402

warm_up()
connections.close_all()
