"""What a process builds on its first requests and keeps afterwards, built once before serving.

gunicorn runs with ``--preload`` and ``--max-requests``: every worker is forked from the master
and replaced after about 2,000 requests. Whatever the master has not built, each new worker
builds on its first requests: importing every view (the URL configurations), the reverse
tables of each language, the translation catalogs, every template compiled, the models' field
maps. That took about 0.6 s on a 2-core machine, during which the worker answered nothing: on
busy pages a worker is replaced every few seconds, and a third of the capacity went there.
``warm_up()`` builds all of it in the master (``wsgi.py``), so that forked workers share it.

It reads no database and opens no connection: nothing here may be shared across a fork.
"""

from __future__ import annotations

import gc
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template import engines
from django.template.backends.django import DjangoTemplates
from django.urls import get_resolver
from django.utils import translation
from django.utils.module_loading import import_string

#: Templates compiled in advance: ours (the project's and its apps' folders), not the
#: third-party ones nobody sees on a daily page.
_TEMPLATE_SUFFIXES = (".html", ".txt")


def warm_up() -> None:
    _imports()
    _models()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            _url_configurations()
    _templates()
    # What was built lives as long as the process: the collector need not scan it again, and
    # forked workers do not copy the pages holding it just by collecting (copy-on-write).
    gc.collect()
    gc.freeze()


def _imports() -> None:
    """The classes the settings name, imported on first use otherwise (the cache backends'
    client library alone took 90 ms)."""
    names = [cache["BACKEND"] for cache in settings.CACHES.values()]
    names += [f"{settings.SESSION_ENGINE}.SessionStore", settings.MESSAGE_STORAGE]
    names += list(settings.AUTHENTICATION_BACKENDS)
    for name in names:
        import_string(name)


def _models() -> None:
    for model in apps.get_models():
        model._meta.get_fields()


def _url_configurations() -> None:
    for urlconf in {settings.ROOT_URLCONF, settings.PUBLIC_SCHEMA_URLCONF}:
        resolver = get_resolver(urlconf)
        resolver.reverse_dict  # noqa: B018 - the reverse table of the active language, built
        resolver.namespace_dict  # noqa: B018


def _templates() -> None:
    base = Path(settings.BASE_DIR).resolve()
    for engine in engines.all():
        if not isinstance(engine, DjangoTemplates):
            continue
        for folder in engine.template_dirs:
            root = Path(folder).resolve()
            if not root.is_relative_to(base) or ".venv" in root.parts or not root.is_dir():
                continue
            for path in sorted(root.rglob("*")):
                if path.suffix in _TEMPLATE_SUFFIXES:
                    engine.get_template(path.relative_to(root).as_posix())
