"""The same as ``shared_apps.notify.types`` (the entry point lives below identity, so that every
public app may call it); kept here so that ``from shared_apps.notifications.types import …`` works."""

from shared_apps.notify.types import *  # noqa: F403
