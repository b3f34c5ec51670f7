"""Serving the platform (or a bare Django view) with gunicorn, and driving it with a real load
generator on loopback: wrk when the machine has it, else a small threaded HTTP client. Used by
the page benchmarks (bench_pages.py and the later apps' benchmarks)."""

from __future__ import annotations

import contextlib
import http.client
import math
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class LoadResult:
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    errors: int  # non-2xx/3xx answers and socket errors
    requests: int
    tool: str

    def line(self) -> str:
        if self.requests == 0:  # no latency to give: never a p95 of 0.0
            return f"no request completed, {self.errors} errors"
        rate = self.requests_per_second
        shown = f"{rate:,.0f}" if rate >= 100 else f"{rate:.1f}"
        return f"{shown} req/s, p50 {self.p50_ms:.1f} ms, p95 {self.p95_ms:.1f} ms, {self.errors} errors"


def database_url() -> str:
    """The URL of this process's database (the test database), for the servers it starts."""
    from django.db import connection

    database = connection.settings_dict
    user = database.get("USER") or "postgres"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{database['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(port: int, host: str, path: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path, headers={"Host": host})
            status = connection.getresponse().status
            connection.close()
            if status < 500:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer {path} within {timeout:.0f} s")


@contextlib.contextmanager
def gunicorn(
    app: str,
    *,
    env: Mapping[str, str],
    host: str = "localhost",
    workers: int = 2,
    probe: str = "/healthz",
) -> Iterator[int]:
    """``gunicorn app`` on a free loopback port (sync workers, as production runs it); yields the
    port; stopped (and waited for) at the end of the block."""
    port = free_port()
    binary = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    process = subprocess.Popen(
        [
            binary,
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--backlog",
            "1024",
        ],
        env={**os.environ, **env},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    try:
        _wait_until_up(port, host, probe, process, timeout=60)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


#: wrk's own percentiles, exact (its histogram), printed when the run is done: microseconds.
_WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("MBN-PERCENTILES %d %d %d\\n",
    latency:percentile(50), latency:percentile(95), summary.requests))
end
"""


def _wrk(url: str, headers: Mapping[str, str], seconds: float, connections: int) -> LoadResult:
    """wrk's figures; p50 and p95 from its histogram (a Lua ``done`` hook), not read off the
    "Latency Distribution" table, which prints 50/75/90/99 only."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(_WRK_SCRIPT)
        script.flush()
        command = [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "-s",
            script.name,
        ]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        output = subprocess.run(
            [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 60
        ).stdout
    found = re.search(r"^MBN-PERCENTILES (\d+) (\d+) (\d+)$", output, re.MULTILINE)
    if found is None:
        raise RuntimeError(f"wrk printed no percentiles:\n{output}")
    p50_us, p95_us, total = (int(n) for n in found.groups())
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (
        sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    )
    return LoadResult(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
        p50_ms=p50_us / 1000,
        p95_ms=p95_us / 1000,
        errors=errors,
        requests=total,
        tool="wrk",
    )


def percentile(ordered: Sequence[float], q: float) -> float:
    """The nearest-rank ``q``-th percentile of sorted values (0.0 when there are none)."""
    if not ordered:
        return 0.0
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def threads_load(url: str, headers: Mapping[str, str], seconds: float, connections: int) -> LoadResult:
    """The fallback generator: one keep-alive connection per thread, as many threads as
    connections; slower than wrk (the GIL), so its figures are a floor."""
    match = re.fullmatch(r"http://([^:/]+):(\d+)(/.*)", url)
    assert match is not None
    address, port, path = match.group(1), int(match.group(2)), match.group(3)
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker() -> None:
        connection = http.client.HTTPConnection(address, port, timeout=10)
        mine: list[float] = []
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                connection.request("GET", path, headers=dict(headers))
                response = connection.getresponse()
                response.read()
                ok = response.status < 400
            except OSError:
                connection.close()
                connection = http.client.HTTPConnection(address, port, timeout=10)
                ok = False
            mine.append((time.perf_counter() - start) * 1000)
            if not ok:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    pool = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.monotonic() - started
    ordered = sorted(latencies)
    return LoadResult(
        requests_per_second=len(latencies) / elapsed,
        p50_ms=percentile(ordered, 50),
        p95_ms=percentile(ordered, 95),
        errors=errors[0],
        requests=len(latencies),
        tool="python threads",
    )


def load(url: str, *, headers: Mapping[str, str], seconds: float = 5.0, connections: int = 16) -> LoadResult:
    """Drive ``url`` for ``seconds`` with ``connections`` concurrent connections."""
    if shutil.which("wrk"):
        return _wrk(url, headers, seconds, connections)
    return threads_load(url, headers, seconds, connections)
