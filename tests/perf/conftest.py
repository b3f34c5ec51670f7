"""Benchmarks print their figures through ``bench_report``; the lines are repeated at the end of
the pytest run (terminal summary), so `make test` shows them without `-s`."""

from __future__ import annotations

from collections.abc import Callable

import pytest

_LINES: list[str] = []


@pytest.fixture
def bench_report() -> Callable[[str], None]:
    def report(line: str) -> None:
        print(f"\n[bench] {line}")
        _LINES.append(line)

    return report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _LINES:
        terminalreporter.section("benchmarks")
        for line in _LINES:
            terminalreporter.write_line(line)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Benchmarks run last: some leave large committed data (a whole region) behind them; those
    that reuse that region (``BENCH_AFTER_REGION = True`` in their module) run after them."""
    items.sort(
        key=lambda item: (
            item.get_closest_marker("perf") is not None,
            bool(getattr(getattr(item, "module", None), "BENCH_AFTER_REGION", False)),
        )
    )
