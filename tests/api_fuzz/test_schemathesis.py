"""A property-based API fuzzer (schemathesis) against the live server: every operation of both
OpenAPI schemas (the region portal's and a school's), as an anonymous user, a guardian and an
establishment administrator (API tokens as the app sign-in issues them). No answer may be a 5xx,
and every answer must conform to the schema.

The examples are bounded (``MBN_FUZZ_EXAMPLES`` per operation, derandomized: the same run every
time) to keep the whole run around two minutes. The school is one of its own (writes are
committed by the server thread); operations that would lock the fuzzing people out of their own
accounts (password, second factor, sessions, revoking their token) are left out.
"""

from __future__ import annotations

import os
import random
import re
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import hypothesis
import pytest
import requests
import schemathesis
from django.db import connection
from django_tenants.utils import schema_context
from hypothesis import HealthCheck, Phase, strategies
from rest_framework.throttling import SimpleRateThrottle
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from shared_apps.identity.roles import Role
from shared_apps.identity.services import guardian_link_create
from tenants.models import EstablishmentKind
from tenants.provisioning.jobs import establishment_create
from tenants.uai import uai_check_letter
from tests.conftest import host_of
from tests.connectors.helpers import issued_token, registered_app
from tests.factories import member

EXAMPLES = int(os.environ.get("MBN_FUZZ_EXAMPLES", "2"))
#: Valid inputs (``positive``), invalid ones (``negative``: each must be refused without a 5xx).
MODES = [GenerationMode(m) for m in os.environ.get("MBN_FUZZ_MODES", "positive,negative").split(",")]
#: Operations left out: they would change the fuzzing people's own credentials or sessions
#: (and so end the run's authentication), or e-mail codes to addresses the fuzzer makes up.
SKIPPED = re.compile(
    r"^(POST|PUT|PATCH|DELETE) /api/v1/account/"
    r"|^DELETE /api/v1/account/connected-apps/"
)
ROLES = ("anonymous", "guardian", "establishment_admin")


@dataclass(frozen=True)
class FuzzSchool:
    host: str
    portal: str
    #: ``(where, role) -> token``: the school's own application, a region-wide one on the portal.
    tokens: dict[tuple[str, str], str]


@pytest.fixture(scope="module")
def fuzz_school(django_db_setup: None, django_db_blocker: Any) -> Iterator[FuzzSchool]:
    """A collège of its own with a guardian (and their child) and an administrator, each with an
    API token of a connected application registered for the school (its host) and of a
    region-wide one (the portal, where an establishment's application is refused)."""
    with django_db_blocker.unblock():
        tag = uuid.uuid4().hex[:6]
        digits = f"067{random.randint(5000, 6999)}"  # noqa: S311
        school = establishment_create(
            actor=None,
            uai=digits + uai_check_letter(digits),
            name=f"Collège Fuzz {tag}",
            kind=EstablishmentKind.COLLEGE,
            academie="Strasbourg",
            departement="67",
            subdomain=f"fuzz{tag}",
        )
        child = member(school, Role.STUDENT, class_name="5e F", first_name="Léo")
        guardian = member(school, Role.GUARDIAN, first_name="Anne")
        guardian_link_create(actor=None, guardian=guardian, child=child)
        admin = member(school, Role.ESTABLISHMENT_ADMIN, first_name="Marc")
        connected, _secret = registered_app(establishments=[school], name=f"Fuzz {tag}")
        region_wide, _secret = registered_app(name=f"Fuzz region {tag}")
        people = {"guardian": guardian, "establishment_admin": admin}
        tokens = {("school", role): issued_token(user, connected) for role, user in people.items()}
        tokens |= {("portal", role): issued_token(user, region_wide) for role, user in people.items()}
        with schema_context(school.schema_name):
            host = host_of(school)
        connection.set_schema_to_public()
        yield FuzzSchool(host=host, portal=host_of(None), tokens=tokens)


def _failures(
    base: str, host: str, token: str | None, statuses: Counter[int], answered: set[str]
) -> list[str]:
    with requests.Session() as session:  # closed after: the server thread's connection ends
        return _fuzz(session, base, host, token, statuses, answered)


def _fuzz(
    session: requests.Session,
    base: str,
    host: str,
    token: str | None,
    statuses: Counter[int],
    answered: set[str],
) -> list[str]:
    headers = {"Host": host, **({"Authorization": f"Bearer {token}"} if token else {})}
    raw = session.get(f"{base}/api/schema/?format=json", headers={"Host": host}, timeout=60).json()
    schema = schemathesis.openapi.from_dict(raw)
    found: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        label = f"{operation.method.upper()} {operation.path}"
        if SKIPPED.search(label):
            continue

        @hypothesis.settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @hypothesis.given(case=strategies.one_of(*(operation.as_strategy(generation_mode=m) for m in MODES)))
        def run(case: Any) -> None:
            response = case.call(base_url=base, session=session, headers=headers, timeout=30)
            statuses[response.status_code] += 1
            if response.status_code < 300:
                answered.add(f"{case.method.upper()} {case.path}")
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

        try:
            run()
        except Exception as exc:
            found.append(f"{label}: {str(exc).strip()[:1500]}")
    return found


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", ["portal", "school"])
def test_no_operation_answers_a_5xx_or_outside_its_schema(
    app_server: str, fuzz_school: FuzzSchool, role: str, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for scope in ("anon", "user", "token", "auth"):
        monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, scope, "100000/minute")
    host = fuzz_school.portal if where == "portal" else fuzz_school.host
    statuses: Counter[int] = Counter()
    answered: set[str] = set()
    failures = _failures(
        f"http://127.0.0.1:{app_server}", host, fuzz_school.tokens.get((where, role)), statuses, answered
    )
    assert failures == [], "\n\n".join(failures)
    # The run reached the operations themselves: signed-in people get answers, not only refusals.
    if role != "anonymous":
        # (distinct operations answered with a success: the portal has a dozen a guardian may use)
        assert len(answered) >= 10, (sorted(answered), statuses)
