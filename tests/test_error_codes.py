"""Every error code a client can receive comes from the one registry
(``mbn_platform/kernel/error_codes.py``): a code used but not registered fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import ApplicationError

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("mbn_platform", "tenants", "shared_apps", "tenant_apps")


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def _error_classes() -> set[type]:
    import django.apps

    for config in django.apps.apps.get_app_configs():  # import every app's modules with errors
        for name in ("services", "rules", "middleware", "views", "api"):
            try:
                __import__(f"{config.name}.{name}")
            except ModuleNotFoundError:
                continue
    return {ApplicationError, *_subclasses(ApplicationError)}


def _sources() -> list[Path]:
    return [
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts and "tests" not in path.parts
    ]


def _codes_used(tree: ast.AST, error_names: set[str]) -> list[tuple[int, ast.expr]]:
    """Every ``code=`` given to an error class, and every ``code = …`` of an error class body."""
    used: list[tuple[int, ast.expr]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            callee = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if callee in error_names:
                used += [(node.lineno, kw.value) for kw in node.keywords if kw.arg == "code"]
        elif isinstance(node, ast.ClassDef) and node.name in error_names:
            for statement in node.body:
                if isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is not None:
                    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                    if any(isinstance(t, ast.Name) and t.id == "code" for t in targets):
                        used.append((statement.lineno, statement.value))
    return used


def _registered(value: ast.expr) -> bool:
    """``ErrorCode.MEMBER`` (or a conditional between two of them); a plain string is not."""
    if isinstance(value, ast.IfExp):
        return _registered(value.body) and _registered(value.orelse)
    if (
        isinstance(value, ast.Attribute)
        and isinstance(value.value, ast.Name)
        and value.value.id == "ErrorCode"
    ):
        return value.attr in ErrorCode.__members__
    # A variable or expression: checked when raised (ApplicationError refuses unknown codes).
    return not isinstance(value, ast.Constant)


def test_every_code_raised_in_the_code_is_registered():
    error_names = {cls.__name__ for cls in _error_classes()}
    unregistered = [
        f"{path.relative_to(ROOT)}:{line}: {ast.unparse(value)}"
        for path in _sources()
        for line, value in _codes_used(ast.parse(path.read_text(encoding="utf-8")), error_names)
        if not _registered(value)
    ]
    assert unregistered == []


def test_every_error_class_carries_a_registered_code():
    assert all(isinstance(cls.code, ErrorCode) for cls in _error_classes())


def test_the_scan_sees_a_string_code_given_to_an_error():
    tree = ast.parse('raise Conflict("x", code="made_up")\nclass Conflict:\n    code = "also_made_up"\n')
    found = _codes_used(tree, {"Conflict"})
    assert len(found) == 2
    assert not any(_registered(value) for _line, value in found)


def test_an_unregistered_code_is_refused_when_raised():
    with pytest.raises(ValueError, match="made_up"):
        ApplicationError("x", code="made_up")  # type: ignore[arg-type]
