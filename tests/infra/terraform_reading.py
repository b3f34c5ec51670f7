"""Reading the Terraform deployment (infra/terraform) as data: each .tf file parsed with python-hcl2,
blocks by kind and type, module calls, variables and locals."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hcl2

REPO = Path(__file__).resolve().parents[2]
TF_ROOT = REPO / "infra" / "terraform"
MODULES = TF_ROOT / "modules"
ENVIRONMENTS = ("staging", "production")


# --- Parsing -------------------------------------------------------------------------------------
def _unquote(value: Any) -> Any:
    """python-hcl2 >= 7 keeps the quotes of string literals; older releases drop them."""
    if isinstance(value, dict):
        return {
            _unquote(k): _unquote(v) for k, v in value.items() if k not in ("__is_block__", "__comments__")
        }
    if isinstance(value, list):
        return [_unquote(v) for v in value]
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


@dataclass(frozen=True)
class Block:
    kind: str  # resource, data
    type: str  # aws_db_instance, ...
    name: str
    body: dict[str, Any]
    path: Path

    @property
    def address(self) -> str:
        return f"{self.path.relative_to(TF_ROOT)}: {self.type}.{self.name}"


@functools.cache
def load_tf(path: Path) -> dict[str, Any]:
    """Parsed once per file and run (callers only read the result)."""
    with path.open(encoding="utf-8") as handle:
        parsed: dict[str, Any] = _unquote(hcl2.load(handle))
    return parsed


def tf_files(directory: Path = TF_ROOT) -> list[Path]:
    return sorted(p for p in directory.rglob("*.tf") if ".terraform" not in p.parts)


def blocks(kind: str, type_: str | None = None, directory: Path = TF_ROOT) -> list[Block]:
    found = []
    for path in tf_files(directory):
        for entry in load_tf(path).get(kind, []):
            for block_type, named in entry.items():
                if type_ is not None and block_type != type_:
                    continue
                for name, body in named.items():
                    found.append(Block(kind, block_type, name, body, path))
    return found


def resources(type_: str, directory: Path = TF_ROOT) -> list[Block]:
    return blocks("resource", type_, directory)


def one(type_: str, name: str, directory: Path, kind: str = "resource") -> Block:
    matches = [b for b in blocks(kind, type_, directory) if b.name == name]
    assert len(matches) == 1, f"expected one {type_}.{name} under {directory}, found {len(matches)}"
    return matches[0]


def module_calls(environment: str) -> dict[str, dict[str, Any]]:
    calls: dict[str, dict[str, Any]] = {}
    for path in tf_files(TF_ROOT / "environments" / environment):
        for entry in load_tf(path).get("module", []):
            calls.update(entry)
    return calls


def variables(module: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for path in tf_files(MODULES / module):
        for entry in load_tf(path).get("variable", []):
            found.update(entry)
    return found


def locals_of(directory: Path) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for path in tf_files(directory):
        for entry in load_tf(path).get("locals", []):
            found.update(entry)
    return found


def first(body: dict[str, Any], key: str) -> dict[str, Any]:
    """A nested block (python-hcl2 gives a list of bodies)."""
    value = body.get(key)
    assert isinstance(value, list) and value, f"missing block {key!r}"
    assert isinstance(value[0], dict)
    return value[0]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def refers_to(expression: Any, reference: str) -> bool:
    """Whether an expression (a "${...}" string) references e.g. `aws_s3_bucket.this`."""
    return isinstance(expression, str) and re.search(rf"\b{re.escape(reference)}\b", expression) is not None
