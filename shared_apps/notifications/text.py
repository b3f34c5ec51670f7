"""The same as ``shared_apps.notify.text`` (the entry point lives below identity, so that every
public app may call it); kept here so that ``from shared_apps.notifications.text import …`` works."""

from shared_apps.notify.text import *  # noqa: F403
