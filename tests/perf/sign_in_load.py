"""People signing in under load, then going through their pages: a closed loop of Python threads on
loopback (one keep-alive connection each), timing every step on its own. Each round is a fresh
browser: the sign-in page (GET, for its CSRF token), the sign-in itself (POST of the login form:
a 302 and a new session), then the person's pages with that session. Used by
bench_report_cards.py (guardians on report-card day); like http_load.py's fallback generator, its
figures are a floor (the GIL), measured against the same server as the others."""

from __future__ import annotations

import http.client
import itertools
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from tests.perf.http_load import LoadResult, percentile

SIGN_IN_PAGE = "sign-in page (GET)"
SIGN_IN = "sign-in (POST)"
_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass(frozen=True)
class Person:
    login: str
    password: str
    host: str  # where they sign in (the portal)
    pages: Sequence[tuple[str, str, str]]  # (name, path, host) opened once signed in


@dataclass
class _Step:
    latencies: list[float]
    errors: int = 0


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


class _Browser:
    """One simulated person's connection, timing each request under its step's name."""

    def __init__(self, port: int, steps: dict[str, _Step], lock: threading.Lock) -> None:
        self.port, self.steps, self.lock = port, steps, lock
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.times: dict[str, list[float]] = {name: [] for name in steps}
        self.failed: dict[str, int] = dict.fromkeys(steps, 0)

    def request(
        self, step: str, method: str, path: str, headers: dict[str, str], body: str | None, expect: int
    ) -> tuple[http.client.HTTPResponse, bytes] | None:
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except OSError:
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            response = None
        self.times[step].append((time.perf_counter() - started) * 1000)
        if response is None or response.status != expect:
            self.failed[step] += 1
            return None
        return response, content

    def round(self, person: Person) -> None:
        page = self.request(SIGN_IN_PAGE, "GET", "/accounts/login/", {"Host": person.host}, None, 200)
        if page is None:
            return
        csrf = _cookies(page[0]).get("csrftoken", "")
        token = _TOKEN.search(page[1])
        form = urlencode(
            {
                "username": person.login,
                "password": person.password,
                "csrfmiddlewaretoken": token.group(1).decode() if token else "",
            }
        )
        headers = {
            "Host": person.host,
            "Cookie": f"csrftoken={csrf}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        signed_in = self.request(SIGN_IN, "POST", "/accounts/login/", headers, form, 302)
        session = _cookies(signed_in[0]).get("sessionid") if signed_in is not None else None
        if not session:
            return
        for name, path, host in person.pages:
            if (
                self.request(name, "GET", path, {"Host": host, "Cookie": f"sessionid={session}"}, None, 200)
                is None
            ):
                return

    def merge(self) -> None:
        with self.lock:
            for name, step in self.steps.items():
                step.latencies.extend(self.times[name])
                step.errors += self.failed[name]
        self.connection.close()


def sign_in_load(
    port: int, people: Sequence[Person], *, seconds: float, connections: int
) -> dict[str, LoadResult]:
    """``connections`` people at once, in turn from ``people``, for ``seconds``: each step's
    figures (the sign-in page, the sign-in, then each page by name)."""
    names = [SIGN_IN_PAGE, SIGN_IN, *[name for name, _path, _host in people[0].pages]]
    steps = {name: _Step([]) for name in names}
    lock = threading.Lock()
    turn = itertools.count()
    stop = time.monotonic() + seconds

    def run() -> None:
        browser = _Browser(port, steps, lock)
        while time.monotonic() < stop:
            browser.round(people[next(turn) % len(people)])
        browser.merge()

    started = time.monotonic()
    threads = [threading.Thread(target=run) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    results = {}
    for name, step in steps.items():
        ordered = sorted(step.latencies)
        results[name] = LoadResult(
            requests_per_second=len(ordered) / elapsed,
            p50_ms=percentile(ordered, 50),
            p95_ms=percentile(ordered, 95),
            errors=step.errors,
            requests=len(ordered),
            tool="python threads",
        )
    return results
