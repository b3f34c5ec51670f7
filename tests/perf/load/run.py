"""Running locust headless against a server, reading its figures, and watching the database
(connections, CPU of its backends) meanwhile."""

from __future__ import annotations

import csv
import http.client
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class PageStats:
    name: str
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    p99: float


@dataclass
class LoadRun:
    pages: list[PageStats]
    total: PageStats
    db_connections_max: int = 0
    db_cpu_percent: float | None = None  # of one core; None when the server's processes cannot be read
    seconds: float = 0.0

    def lines(self, label: str) -> list[str]:
        cpu = f"{self.db_cpu_percent:.0f} % of a core" if self.db_cpu_percent is not None else "n/a"
        head = (
            f"{label}: {self.total.rps:,.0f} req/s, p50 {self.total.p50:.0f} ms, "
            f"p95 {self.total.p95:.0f} ms, p99 {self.total.p99:.0f} ms, "
            f"{self.total.failures} errors / {self.total.requests} requests; "
            f"database: {self.db_connections_max} connections at most, CPU {cpu}"
        )
        return [head] + [
            f"  {p.name:<34} {p.requests:>6} req  p50 {p.p50:>5.0f} ms  p95 {p.p95:>5.0f} ms  "
            f"p99 {p.p99:>5.0f} ms  {p.failures} errors"
            for p in self.pages
        ]


def _stats(row: dict[str, str]) -> PageStats:
    def number(key: str) -> float:
        value = row.get(key) or "0"
        return float(value) if value not in ("N/A", "") else 0.0

    return PageStats(
        name=row["Name"],
        requests=int(number("Request Count")),
        failures=int(number("Failure Count")),
        rps=number("Requests/s"),
        p50=number("50%"),
        p95=number("95%"),
        p99=number("99%"),
    )


class DatabaseWatch:
    """Samples the database's connections and its backends' CPU time while a run lasts."""

    def __init__(self, url: str, dbname: str) -> None:
        self.url, self.dbname = url, dbname
        self.max_connections = 0
        self._first: dict[int, int] = {}
        self._last: dict[int, int] = {}
        self._readable = True
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _cpu(self, pid: int) -> int | None:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks

    def _sample(self, conn: psycopg.Connection[object]) -> None:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [self.dbname]
        ).fetchall()
        self.max_connections = max(self.max_connections, len(rows))
        for (pid,) in rows:
            ticks = self._cpu(int(pid))
            if ticks is None:
                self._readable = False
                continue
            self._first.setdefault(int(pid), ticks)
            self._last[int(pid)] = ticks

    def _loop(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            self._sample(conn)
            self._first_snapshot = dict(self._first)
            while not self._stop.wait(0.25):
                self._sample(conn)
            self._sample(conn)

    def __enter__(self) -> DatabaseWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def cpu_percent(self, seconds: float) -> float | None:
        if not self._readable or seconds <= 0:
            return None
        before = getattr(self, "_first_snapshot", {})
        used = sum(last - (before.get(pid, 0)) for pid, last in self._last.items())
        return 100.0 * used / _TICKS / seconds


def warm_up(port: int, people: list[dict[str, Any]], *, rounds: int) -> None:
    """Each kind of page of each host, ``rounds`` times (every worker loads its code and caches);
    every answer must be a 200."""
    seen: dict[tuple[str, str], tuple[str, str]] = {}
    for person in people:
        for name, path, host in person["pages"]:
            seen.setdefault((name, host), (path, person.get("cookie", "")))
    for _ in range(rounds):
        for (name, host), (path, cookie) in seen.items():
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", path, headers={"Host": host, "Cookie": cookie})
            response = conn.getresponse()
            response.read()
            conn.close()
            assert response.status == 200, f"{name} ({host}{path}): HTTP {response.status}"


def locust_run(
    *,
    port: int,
    scenario: str,
    sessions: Path,
    users: int,
    seconds: float,
    workdir: Path,
    database: tuple[str, str] | None = None,
) -> LoadRun:
    """``locust --headless`` for ``seconds`` with ``users`` simulated users; its figures."""
    prefix = workdir / scenario
    command = [
        str(Path(sys.executable).with_name("locust")),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{max(1, round(seconds))}s",
        "--host",
        f"http://127.0.0.1:{port}",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--stop-timeout",
        "5",
    ]
    env = {**os.environ, "MBN_LOAD_SESSIONS": str(sessions), "MBN_LOAD_SCENARIO": scenario}
    watch = DatabaseWatch(*database) if database else None
    started = time.monotonic()
    if watch:
        watch.__enter__()
    try:
        subprocess.run(command, env=env, capture_output=True, text=True, check=False, timeout=seconds + 120)
    finally:
        if watch:
            watch.__exit__()
    elapsed = time.monotonic() - started
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    pages = [_stats(row) for row in rows if row["Name"] != "Aggregated"]
    total = _stats(next(row for row in rows if row["Name"] == "Aggregated"))
    return LoadRun(
        pages=pages,
        total=total,
        db_connections_max=watch.max_connections if watch else 0,
        db_cpu_percent=watch.cpu_percent(elapsed) if watch else None,
        seconds=elapsed,
    )
