"""The OpenAPI schemas (portal and school) document each operation's error answers and every
paginated list as it really is (``{count, next, previous, results}``)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from django.urls import get_resolver

from mbn_platform.kernel.error_codes import ErrorCode

URLCONFS = {"portal": "mbn_platform.config.urls_public", "school": "mbn_platform.config.urls_tenant"}


def _schema(urlconf: str) -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator

    generator = SchemaGenerator(urlconf=get_resolver(urlconf).urlconf_name)
    return generator.get_schema(request=None, public=True)


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method.upper(), operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]


@pytest.mark.parametrize("host", URLCONFS)
def test_every_operation_documents_its_error_answers(host):
    schema = _schema(URLCONFS[host])
    missing = []
    for path, method, operation in _operations(schema):
        responses = operation["responses"]
        wanted = {"429", "503"}
        if "{" in path:
            wanted.add("404")
        if method in {"POST", "PUT", "PATCH"}:
            wanted |= {"400", "409"}
        anonymous = {} in operation.get("security", [])
        if not anonymous:
            wanted |= {"401", "403"}
        absent = sorted(wanted - responses.keys())
        if absent:
            missing.append(f"{method} {path}: {absent}")
    assert missing == []


@pytest.mark.parametrize("host", URLCONFS)
def test_the_error_body_names_every_registered_code(host):
    schema = _schema(URLCONFS[host])
    detail = schema["components"]["schemas"]["ErrorDetailOut"]
    code = detail["properties"]["code"]
    codes = set(code.get("enum") or schema["components"]["schemas"][code["$ref"].rsplit("/", 1)[1]]["enum"])
    assert codes == {c.value for c in ErrorCode}


def test_a_schema_renders_as_yaml():
    assert yaml.safe_dump(_schema(URLCONFS["school"]))


def _resolved(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _documented_200(schema: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any] | None:
    content = operation["responses"].get("200", {}).get("content", {}).get("application/json")
    return _resolved(schema, content["schema"]) if content else None


PAGE_KEYS = {"next", "previous", "results"}


def _lists_as_answered(schema, client) -> list[str]:  # type: ignore[no-untyped-def]
    """GET operations without path values, answered 200: a page must be documented as a page,
    a bare list as a list."""
    wrong = []
    for path, method, operation in _operations(schema):
        if method != "GET" or "{" in path:
            continue
        response = client.get(path)
        if response.status_code != 200 or "json" not in response.get("Content-Type", ""):
            continue
        body = response.json()
        documented = _documented_200(schema, operation) or {}
        if isinstance(body, dict) and body.keys() >= PAGE_KEYS:
            if not documented.get("properties", {}).keys() >= PAGE_KEYS:
                wrong.append(f"{path}: answers a page, documented as {documented.get('type')}")
        elif isinstance(body, list) and documented.get("type") != "array":
            wrong.append(f"{path}: answers a list, documented as {documented.get('type')}")
    return wrong


def test_school_lists_are_documented_as_they_answer(school_a):
    from shared_apps.identity.roles import Role
    from tests.conftest import client_for
    from tests.factories import member

    admin = member(school_a, Role.ESTABLISHMENT_ADMIN)
    for role in (Role.HEAD, Role.SCHOOL_LIFE, Role.ADMIN_STAFF):
        from shared_apps.identity.services import membership_grant

        membership_grant(actor=None, user=admin, establishment=school_a, role=role)
    client = client_for(admin, school_a, api=True)
    assert _lists_as_answered(_schema(URLCONFS["school"]), client) == []


def test_portal_lists_are_documented_as_they_answer(db):
    from shared_apps.identity.models import RegionRoleAssignment
    from shared_apps.identity.roles import RegionRole
    from tests.conftest import client_for
    from tests.factories import UserFactory

    operator = UserFactory()
    for role in (RegionRole.REGION_OPERATOR, RegionRole.SUPPORT):
        RegionRoleAssignment.objects.create(user=operator, role=role)
    client = client_for(operator, None, api=True)
    assert _lists_as_answered(_schema(URLCONFS["portal"]), client) == []
