"""``python -m mbn_platform.devdb {start,stop,url,run -- CMD...}``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .control import run, running_url, stop
from .paths import DevDBError, _paths
from .server import _ensure_running


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m mbn_platform.devdb {start,stop,url,run -- CMD...}``."""
    parser = argparse.ArgumentParser(
        prog="python -m mbn_platform.devdb",
        description="Embedded PostgreSQL for development, the demo and the tests.",
    )
    parser.add_argument("--data-dir", type=Path, help="data directory (default: $MBN_PGDATA or automatic)")
    actions = parser.add_subparsers(dest="action", required=True)
    actions.add_parser("start", help="start the server (persistent until `stop`) and print its URL")
    actions.add_parser("stop", help="stop the server")
    actions.add_parser("url", help="print the URL of the running server; exit 1 if none runs")
    run_parser = actions.add_parser("run", help="run a command with DATABASE_URL set (stops what it started)")
    run_parser.add_argument("command", nargs=argparse.REMAINDER, help="-- CMD [ARGS...]")
    args = parser.parse_args(argv)
    data_dir: Path | None = args.data_dir
    action: str = args.action

    try:
        if action == "start":
            url, started = _ensure_running(_paths(data_dir), stop_when_unused=False)
            sys.stderr.write("devdb: started\n" if started else "devdb: already running\n")
            sys.stdout.write(url + "\n")
        elif action == "stop":
            stop(data_dir)
        elif action == "url":
            found = running_url(data_dir)
            if found is None:
                sys.stderr.write("devdb: not running\n")
                return 1
            sys.stdout.write(found + "\n")
        else:
            command: list[str] = list(args.command)
            if command and command[0] == "--":
                command = command[1:]
            if not command:
                parser.error("run needs a command: run -- CMD [ARGS...]")
            return run(command, data_dir)
    except DevDBError as exc:
        sys.stderr.write(f"devdb: {exc}\n")
        return 1
    return 0
