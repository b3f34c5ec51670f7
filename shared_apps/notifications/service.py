"""The same as ``shared_apps.notify.service`` (the entry point lives below identity, so that every
public app may call it); kept here so that ``from shared_apps.notifications.service import …`` works."""

from shared_apps.notify.service import *  # noqa: F403
