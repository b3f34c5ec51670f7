"""The region load test's people, for locust (headless, run by tests/perf/bench_region_load.py).

``MBN_LOAD_SESSIONS`` names a JSON file: for each scenario ("monday": students and teachers
opening the week, teachers opening their registers; "evening": guardians on the portal and
their children's schools; "bare": the baseline), a list of signed-in people, each with its host,
session cookie and pages (``[name, path, host]``), or instead of a cookie the sign-in they go
through first (``sign_in``: host, login, password: the guardians of report-card evening sign in,
then open their pages). ``MBN_LOAD_SCENARIO`` picks the scenario. Each simulated user is one of
these people (in turn) and goes through their pages without pause: a closed loop, measuring what
the server sustains.
"""

from __future__ import annotations

import itertools
import json
import os
from http.cookies import SimpleCookie
from typing import Any

from locust import FastHttpUser, constant, task

_PEOPLE: list[dict[str, Any]] = json.loads(open(os.environ["MBN_LOAD_SESSIONS"]).read())[  # noqa: SIM115
    os.environ.get("MBN_LOAD_SCENARIO", "monday")
]
_NEXT = itertools.count()


class Person(FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        me = _PEOPLE[next(_NEXT) % len(_PEOPLE)]
        self.cookie = me.get("cookie", "")
        self.sign_in_as: dict[str, str] | None = me.get("sign_in")
        self.pages = me["pages"]  # [name, path, host]

    def sign_in(self, host: str, login: str, password: str) -> bool:
        """The sign-in page, then its form: the new session's cookie (a 302 to the next page)."""
        with self.client.get(
            "/accounts/login/", headers={"Host": host}, name="guardian: sign-in page", catch_response=True
        ) as page:
            csrf = _cookies(page).get("csrftoken", "")
            if page.status_code != 200 or not csrf:
                page.failure(f"HTTP {page.status_code}, CSRF cookie {'set' if csrf else 'missing'}")
                return False
        with self.client.post(
            "/accounts/login/",
            data={"username": login, "password": password, "csrfmiddlewaretoken": csrf},
            headers={"Host": host, "Cookie": f"csrftoken={csrf}"},
            name="guardian: sign in",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            session = _cookies(answer).get("sessionid", "")
            if answer.status_code != 302 or not session:
                answer.failure(f"HTTP {answer.status_code}: not signed in")
                return False
        self.cookie = f"sessionid={session}"
        return True

    @task
    def browse(self) -> None:
        if self.sign_in_as and not self.sign_in(**self.sign_in_as):
            return
        for name, path, host in self.pages:
            headers = {"Host": host, "Cookie": self.cookie} if self.cookie else {"Host": host}
            with self.client.get(path, headers=headers, name=name, catch_response=True) as response:
                if response.status_code != 200:
                    response.failure(f"HTTP {response.status_code}")


def _cookies(response: Any) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for line in response.headers.getlist("Set-Cookie") if response.headers is not None else []:
        jar.load(line)
    return {name: morsel.value for name, morsel in jar.items()}
