"""Fixtures shared with other suites: the people of a school (tests/messaging/conftest.py)."""

from tests.messaging.conftest import people  # noqa: F401  (the fixture)
