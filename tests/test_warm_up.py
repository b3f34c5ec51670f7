"""gunicorn's master builds, before forking the workers, what each worker would otherwise build
on its first requests (mbn_platform/config/warm.py): a worker recycled by --max-requests answers
at once instead of stalling for half a second. It must do so without touching the database,
whose connections may not cross a fork."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.perf.http_load import free_port

ROOT = Path(__file__).resolve().parent.parent

_PROBE = """
import gc, sys
from django.db import connections
from django.template import engines
from django.urls import get_resolver
from django.conf import settings

import mbn_platform.config.wsgi  # what gunicorn --preload loads in the master

resolver = get_resolver(settings.ROOT_URLCONF)
print("languages", sorted(str(key) for key in resolver._reverse_dict))
loader = engines["django"].engine.template_loaders[0]
print("templates", len(loader.get_template_cache), "base.html" in loader.get_template_cache)
print("views", any(name.startswith("tenant_apps.grades.views") for name in sys.modules))
print("frozen", gc.get_freeze_count() > 1000)
print("connections", [c.alias for c in connections.all(initialized_only=True) if c.connection is not None])
"""


def test_the_master_builds_views_templates_and_catalogs_without_the_database() -> None:
    # A database nobody listens on: warming up must not need it.
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/nowhere",
        "DJANGO_SETTINGS_MODULE": "mbn_platform.config.settings",
        "DEBUG": "0",
    }
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    assert lines["languages"] == "['en', 'fr']"
    count, has_base = lines["templates"].split()
    assert int(count) > 100 and has_base == "True"
    assert lines["views"] == "True"
    assert lines["frozen"] == "True"
    assert lines["connections"] == "[]"
