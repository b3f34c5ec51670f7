"""The API fuzzer's live server: the end-to-end tests' server thread (tests/e2e/conftest.py)."""

from __future__ import annotations

from tests.e2e.conftest import app_server, committed

__all__ = ["app_server", "committed"]
