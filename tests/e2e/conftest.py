"""End-to-end tests in a real headless Chromium (Playwright driving the system's Chromium).

The application is served by a server thread of this process on a free port; Chromium resolves
every ``*.localhost`` name to the loopback address, so schools are reached by their subdomains.
The server thread has its own database connection: data a browser test needs is created and
committed by the ``committed`` fixture (unique names; the test database is dropped at the end).

Without Chromium the tests are skipped, except when ``MBN_REQUIRE_BROWSER=1`` (CI), where a
missing browser is a failure.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    found = os.environ.get("MBN_CHROMIUM") or next(
        (p for p in CHROMIUM_CANDIDATES if os.path.exists(p)), None
    )
    return found or shutil.which("chromium")


@pytest.fixture
def browse() -> Callable[..., contextlib.AbstractContextManager[Any]]:
    """``with browse() as page:`` — a Chromium page for the duration of the block
    (``browse(extra_args=[...])`` adds Chromium flags, e.g. ``--host-resolver-rules``).

    Playwright's sync API runs an event loop in the test's thread while it is open, and Django
    refuses ORM calls under a running loop: create the test's data before the block, check the
    database after it.
    """
    path = chromium_path()
    if path is None:
        if os.environ.get("MBN_REQUIRE_BROWSER") == "1":
            pytest.fail("MBN_REQUIRE_BROWSER=1 but no Chromium was found (apt-get install chromium)")
        pytest.skip("no Chromium on this machine (apt-get install chromium); CI requires it")

    @contextlib.contextmanager
    def open_page(extra_args: Sequence[str] = ()) -> Iterator[Any]:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=path, headless=True, args=[*CHROMIUM_ARGS, *extra_args]
            )
            try:
                context = browser.new_context(locale="fr-FR")
                tab = context.new_page()
                tab.set_default_timeout(15_000)
                yield tab
            finally:
                browser.close()

    return open_page


@pytest.fixture(scope="session")
def app_server(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler

    class Server(LiveServerThread):
        def _create_server(self, connections_override: Any = None) -> Any:
            from django.core.servers.basehttp import ThreadedWSGIServer

            return ThreadedWSGIServer(
                (self.host, self.port), QuietWSGIRequestHandler, allow_reuse_address=False
            )

    with django_db_blocker.unblock():
        thread = Server("127.0.0.1", StaticFilesHandler, port=0)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        try:
            yield str(thread.port)
        finally:
            thread.terminate()


@pytest.fixture
def committed(django_db_blocker: Any) -> Iterator[None]:
    """Lets a test write data that the server thread (another connection) can see."""
    with django_db_blocker.unblock():
        yield
