"""The platform's settings plus the probe tenant app (tests/provisioning/probe_app): what a
``mbn migrate_all`` process started by a test or a benchmark runs with, to apply one real
migration that the platform's own migration graph does not hold."""

from mbn_platform.config import settings as _platform

globals().update({name: getattr(_platform, name) for name in dir(_platform) if name.isupper()})

PROBE_APP = "tests.provisioning.probe_app"
PROBE_APP_LABEL = "provisioning_probe"
PROBE_TABLE = "provisioning_probe_probenote"
TENANT_APPS = [*_platform.TENANT_APPS, PROBE_APP]
INSTALLED_APPS = [*_platform.INSTALLED_APPS, PROBE_APP]
