"""Modules stay small (../shared/design.md §1): one past 400 lines becomes a package along its seams.
Migrations are generated and exempt."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("mbn_platform", "tenants", "shared_apps", "tenant_apps", "tests")
LIMIT = 400


def test_no_module_is_over_400_lines_outside_migrations() -> None:
    too_long = {
        str(path.relative_to(ROOT)): lines
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > LIMIT
    }
    assert too_long == {}, f"modules over {LIMIT} lines: split them along their seams: {too_long}"
