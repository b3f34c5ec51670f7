"""Logs carry the request id, schema and user; Sentry gets no personal data; production refuses
to start without a real secret key."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

from mbn_platform.kernel.logging import ContextFilter, JsonFormatter
from mbn_platform.kernel.sentry import scrub_event
from shared_apps.identity.roles import Role
from tests.conftest import client_for
from tests.factories import member


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[dict[str, str]] = []
        self.addFilter(ContextFilter())
        self.setFormatter(JsonFormatter())

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


def test_log_lines_name_the_request_the_establishment_and_the_user(school_a):
    teacher = member(school_a, Role.TEACHER)
    handler = _Collect()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = client_for(teacher, school_a).get("/classes/999999/", HTTP_X_REQUEST_ID="req-42")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 404
    assert response["X-Request-ID"] == "req-42"
    line = next(line for line in handler.lines if "Not Found" in line["message"])
    assert line["request_id"] == "req-42"
    assert line["schema"] == school_a.schema_name
    assert line["user_id"] == str(teacher.pk)


def test_sentry_events_lose_bodies_cookies_and_identities():
    event = {
        "request": {
            "data": {"password": "x"},
            "cookies": {"sessionid": "s"},
            "headers": {"Cookie": "s", "Host": "h"},
        },
        "user": {"id": "7", "email": "a@b.c", "ip_address": "1.2.3.4"},
    }
    scrubbed = scrub_event(event, {})
    assert scrubbed is not None
    assert scrubbed["request"]["data"] == "[scrubbed]"
    assert "cookies" not in scrubbed["request"]
    assert scrubbed["request"]["headers"] == {"Cookie": "[scrubbed]", "Host": "h"}
    assert scrubbed["user"] == {"id": "7"}


def test_production_refuses_to_start_without_a_real_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(MBN_ENV="production", DATABASE_URL="postgres://u@127.0.0.1:5432/x")
    result = subprocess.run(
        [sys.executable, "-c", "import mbn_platform.config.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    env["SECRET_KEY"] = "k" * 64
    no_keys = subprocess.run(
        [sys.executable, "-c", "import mbn_platform.config.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert no_keys.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS" in no_keys.stderr
    env["FIELD_ENCRYPTION_KEYS"] = "YnVpbGQtb25seS1jb2xsZWN0c3RhdGljLW5vdC1hLWs="
    ok = subprocess.run(
        [sys.executable, "-c", "import mbn_platform.config.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
