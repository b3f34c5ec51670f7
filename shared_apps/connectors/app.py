"""The MBN app: the platform installable as a progressive web app on every host.

``/manifest.webmanifest`` (name, icons, colours; ``start_url`` and ``scope`` are the host's root,
so each school's subdomain installs as its own app), ``/sw.js`` (the service worker, served from
the root with ``Service-Worker-Allowed: /`` and revalidated on every update check) and
``/offline/`` (what a page shows without a network, with nobody's data in it). What the service
worker keeps and when it forgets it: ``templates/connectors/app/sw.js`` and docs/connectors.md.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views import View

from tenants.requests import current_establishment

APP_NAME = "MBN — Mon bureau numérique"
APP_SHORT_NAME = "MBN"
THEME_COLOUR = "#0b4f9c"
BACKGROUND_COLOUR = "#f6f6f6"
OFFLINE_PATH = "/offline/"
#: The pages the service worker keeps for reading offline (the person's week and homework).
KEPT_PAGES = (r"^/timetable/$", r"^/homework/$", r"^/homework/\d+/$")
ICONS = (
    ("connectors/app/icon-192.png", "192x192", "any"),
    ("connectors/app/icon-512.png", "512x512", "any"),
    ("connectors/app/maskable-512.png", "512x512", "maskable"),
)


def shell_files() -> list[str]:
    """What the service worker stores at installation: the offline page and what it needs."""
    return [
        OFFLINE_PATH,
        static("mbn/css/mbn.css"),
        static("connectors/app/app.js"),
        *(static(path) for path, _size, _purpose in ICONS),
    ]


class ManifestView(View):
    """The web app manifest of the host (anonymous: it names the app, nothing about anyone)."""

    allow_anonymous = True

    def get(self, request: HttpRequest) -> HttpResponse:
        establishment = current_establishment(request)
        manifest: dict[str, Any] = {
            "id": "/",
            "name": APP_NAME,
            "short_name": APP_SHORT_NAME,
            "description": (
                _("%(school)s: timetable, homework, grades and messages.") % {"school": establishment.name}
                if establishment is not None
                else _("The region's digital workspace for secondary schools.")
            ),
            "lang": "fr",
            "dir": "ltr",
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "theme_color": THEME_COLOUR,
            "background_color": BACKGROUND_COLOUR,
            "icons": [
                {"src": static(path), "sizes": size, "type": "image/png", "purpose": purpose}
                for path, size, purpose in ICONS
            ],
        }
        response = HttpResponse(
            json.dumps(manifest, ensure_ascii=False), content_type="application/manifest+json"
        )
        response["Cache-Control"] = "no-cache"
        return response


class ServiceWorkerView(View):
    """The service worker, from the host's root so that its scope is the whole host."""

    allow_anonymous = True

    def get(self, request: HttpRequest) -> HttpResponse:
        context = {
            "shell": shell_files(),
            "offline": OFFLINE_PATH,
            "kept": KEPT_PAGES,
            "icon": static(ICONS[0][0]),
        }
        body = render_to_string("connectors/app/sw.js", context)
        version = hashlib.sha256((body + str(settings.STATIC_URL)).encode()).hexdigest()[:12]
        response = HttpResponse(
            body.replace("__VERSION__", version), content_type="text/javascript; charset=utf-8"
        )
        response["Service-Worker-Allowed"] = "/"
        # Browsers check for a new worker at each visit: always ask the server.
        response["Cache-Control"] = "no-cache"
        return response


class OfflineView(View):
    """What the app shows when the network is gone and the page was not kept. The service worker
    fetches it without cookies: it shows nobody's name or data."""

    allow_anonymous = True

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "connectors/app/offline.html",
            {"kept_links": current_establishment(request) is not None},
        )
