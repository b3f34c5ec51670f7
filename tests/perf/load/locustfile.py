"""The region load test's people, for locust (headless, run by tests/perf/bench_region_load.py).

``MBN_LOAD_SESSIONS`` names a JSON file: for each scenario ("monday": students and teachers
opening the week, teachers opening their registers; "evening": guardians on the portal and
their children's schools; "bare": the baseline), a list of signed-in people, each with its host,
session cookie and pages (``[name, path, host]``). ``MBN_LOAD_SCENARIO`` picks the scenario. Each
simulated user is one of these people (in turn) and goes through their pages without pause:
a closed loop, measuring what the server sustains.
"""

from __future__ import annotations

import itertools
import json
import os
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
        self.pages = me["pages"]  # [name, path, host]

    @task
    def browse(self) -> None:
        for name, path, host in self.pages:
            headers = {"Host": host, "Cookie": self.cookie} if self.cookie else {"Host": host}
            with self.client.get(path, headers=headers, name=name, catch_response=True) as response:
                if response.status_code != 200:
                    response.failure(f"HTTP {response.status_code}")
