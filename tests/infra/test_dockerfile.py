"""The container image (Dockerfile) and how the deployment runs it.

No Docker engine runs here, so the Dockerfile is parsed: it must build this repository's own
package (the one `make test` tests, named in pyproject.toml), run it as a non-root user with
gunicorn serving the WSGI application, and the Terraform deployment must run `mbn migrate_all` as
a separate one-off task.
"""

from __future__ import annotations

import ast
import fnmatch
import json
import re
import shlex
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.infra.terraform_reading import MODULES, locals_of, one, refers_to, resources

REPO = Path(__file__).resolve().parents[2]
DOCKERFILE = REPO / "Dockerfile"
DOCKERIGNORE = REPO / ".dockerignore"


# --- A small Dockerfile parser ----------------------------------------------------------------------
@dataclass
class Instruction:
    keyword: str
    args: str


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]

    def env(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for instruction in self.all("ENV"):
            for token in shlex.split(instruction.args):
                name, _, value = token.partition("=")
                found[name] = value
        return found


def instructions(text: str) -> list[Instruction]:
    """Instructions with continuation lines joined and comment lines dropped."""
    found: list[Instruction] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        keyword, _, args = line.partition(" ")
        found.append(Instruction(keyword.upper(), args.strip()))
    assert not pending, "Dockerfile ends in a continuation line"
    return found


def stages() -> list[Stage]:
    parsed: list[Stage] = []
    for instruction in instructions(DOCKERFILE.read_text(encoding="utf-8")):
        if instruction.keyword == "FROM":
            words = instruction.args.split()
            name = words[2] if len(words) == 3 and words[1].upper() == "AS" else None
            parsed.append(Stage(base=words[0], name=name))
        elif parsed:
            parsed[-1].instructions.append(instruction)
    return parsed


def exec_form(instruction: Instruction) -> list[str]:
    value = json.loads(instruction.args)
    assert isinstance(value, list) and all(isinstance(v, str) for v in value), "use the JSON (exec) form"
    return value


def pyproject() -> dict[str, Any]:
    with (REPO / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)


def hcl_list(value: list[str]) -> list[str]:
    return [v.strip('"') for v in value]


# --- The image ------------------------------------------------------------------------------------
def test_dockerfile_is_multi_stage() -> None:
    parsed = stages()
    assert len(parsed) >= 2
    builder_names = {s.name for s in parsed[:-1]}
    copies_from = {
        m.group(1) for i in parsed[-1].all("COPY") if (m := re.match(r"--from=(\S+)", i.args)) is not None
    }
    assert copies_from, "the final stage must copy the build result from an earlier stage"
    assert copies_from <= builder_names
    # The runtime is the slim Python 3.11 image the project targets.
    assert all("python:3.11-slim" in s.base or s.base == "${PYTHON_IMAGE}" for s in parsed)
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.11-slim", DOCKERFILE.read_text(encoding="utf-8"), re.M)


def test_final_stage_runs_as_a_non_root_user() -> None:
    final = stages()[-1]
    users = final.all("USER")
    assert users, "the final stage must switch to a non-root USER"
    user = users[-1].args
    uid = user.split(":")[0]
    assert uid not in ("root", "0"), user
    # The user exists in the image, with that uid ...
    created = " ".join(i.args for i in final.all("RUN"))
    assert re.search(rf"useradd\b[^&]*--uid {re.escape(uid)}\b", created), "create the user with that uid"
    # ... and ECS runs the containers as the same user.
    assert locals_of(MODULES / "app")["container_base"]["user"].split(":")[0] == uid
    # Nothing after USER switches back.
    last_user_index = final.instructions.index(users[-1])
    assert not [i for i in final.instructions[last_user_index:] if i.keyword == "RUN"]


def test_the_image_runs_gunicorn_serving_the_wsgi_application() -> None:
    final = stages()[-1]
    (cmd,) = final.all("CMD")
    command = exec_form(cmd)
    entrypoints = final.all("ENTRYPOINT")
    if entrypoints:
        command = exec_form(entrypoints[-1]) + command
    assert command[0] == "gunicorn"
    assert "mbn_platform.config.wsgi:application" in command
    # The WSGI module exists and defines `application`.
    tree = ast.parse((REPO / "mbn_platform" / "config" / "wsgi.py").read_text(encoding="utf-8"))
    assigned = {
        t.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    assert "application" in assigned
    # The web service on ECS runs the same command.
    web = hcl_list(locals_of(MODULES / "app")["commands"]["web"])
    assert web == ["gunicorn", "mbn_platform.config.wsgi:application"]


def builder_install() -> tuple[Stage, str, str]:
    """The stage that pip-installs the project, its WORKDIR and the install command."""
    for stage in stages()[:-1]:
        workdir = ""
        for instruction in stage.instructions:
            if instruction.keyword == "WORKDIR":
                workdir = instruction.args
            if instruction.keyword == "RUN" and re.search(
                r"pip install [^&]*\"?\.(\[[\w,]+\])?\"?", instruction.args
            ):
                return stage, workdir, instruction.args
    raise AssertionError("no builder stage runs `pip install .` on the project")


def test_the_image_installs_this_repositorys_own_package() -> None:
    stage, workdir, install = builder_install()
    # The repository (pyproject.toml included) is copied to the directory pip installs from.
    copies = [i.args.split() for i in stage.all("COPY") if not i.args.startswith("--from")]
    assert any(c[0] in (".", "./") and c[-1].rstrip("/") in (workdir, ".") for c in copies), copies
    # `pip install .` with the prod extra, which brings gunicorn.
    match = re.search(r"pip install \"?\.\[([\w,]+)\]\"?", install)
    assert match, install
    extras = match.group(1).split(",")
    assert "prod" in extras
    project = pyproject()["project"]
    assert any(d.startswith("gunicorn") for d in project["optional-dependencies"]["prod"])
    # The build checks that the installed distribution is the one pyproject.toml names.
    shown = re.search(r"pip show (\S+)", install)
    assert shown, "verify the installed distribution with `pip show <name>`"
    assert shown.group(1) == project["name"]
    # `mbn`, the console script the deployment calls, comes with it.
    assert "mbn" in project["scripts"]


def ignored(path: str) -> bool:
    patterns = [
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for pattern in patterns:
        bare = pattern.removeprefix("**/")
        if fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path, bare) or path.split("/")[0] == pattern:
            return True
    return False


def test_the_build_context_keeps_what_the_package_needs() -> None:
    config = pyproject()
    needed = ["pyproject.toml", config["project"]["readme"]]
    needed += [pattern.rstrip("*") for pattern in config["tool"]["setuptools"]["packages"]["find"]["include"]]
    for path in needed:
        assert not ignored(path), f".dockerignore excludes {path}"
    # and leaves out what must not be in an image.
    for path in (".git", ".venv", ".venv-infra", ".state", "tests"):
        assert ignored(path), f".dockerignore should exclude {path}"


def test_every_data_file_of_the_packages_is_shipped() -> None:
    """`make test` runs on an editable install, which sees every file; the image gets the wheel.

    A template, static file or translation that package-data does not cover would be missing in
    production only.
    """
    config = pyproject()["tool"]["setuptools"]
    patterns = config.get("package-data", {}).get("*", [])
    roots = [p.rstrip("*") for p in config["packages"]["find"]["include"]]
    missing = []
    for root in roots:
        for path in sorted((REPO / root).rglob("*")):
            if not path.is_file() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts:
                continue
            if "tests" in path.relative_to(REPO).parts:
                continue
            package = next(p for p in path.parents if (p / "__init__.py").exists())
            if not any(path in set(package.glob(pattern)) for pattern in patterns):
                missing.append(str(path.relative_to(REPO)))
    assert not missing, f"not covered by [tool.setuptools.package-data]: {missing}"


def test_static_files_are_collected_at_build_for_the_production_storage() -> None:
    final = stages()[-1]
    env = final.env()
    assert env.get("MBN_ENV") == "production"  # the manifest storage WhiteNoise serves from
    assert env.get("STATIC_ROOT")
    (collect,) = [i.args for i in final.all("RUN") if "collectstatic" in i.args]
    assert "mbn collectstatic --noinput" in collect
    secret = re.search(r"SECRET_KEY=(\S+)", collect)
    assert secret and len(secret.group(1)) >= 50  # production settings refuse a shorter key
    assert "DATABASE_URL=" in collect


# --- The migration step ---------------------------------------------------------------------------
def test_migrations_run_as_a_separate_one_off_ecs_task() -> None:
    app = MODULES / "app"
    commands = locals_of(app)["commands"]
    assert hcl_list(commands["migrate"]) == ["mbn", "migrate_all"]
    migrate = one("aws_ecs_task_definition", "migrate", app)
    assert refers_to(migrate.body["container_definitions"], "local.commands.migrate")
    assert migrate.body["family"] == "${var.name}-migrate"
    # No service keeps it running: it is started once per deployment.
    for service in resources("aws_ecs_service"):
        assert not refers_to(service.body["task_definition"], "aws_ecs_task_definition.migrate")
    # The others do not migrate.
    for name in ("web", "worker", "beat"):
        assert "migrate_all" not in hcl_list(commands[name])
    # The command exists in the project.
    assert list(REPO.glob("*/management/commands/migrate_all.py"))


def test_worker_and_beat_run_celery_on_the_project() -> None:
    commands = locals_of(MODULES / "app")["commands"]
    assert hcl_list(commands["worker"])[:4] == ["celery", "-A", "mbn_platform.config", "worker"]
    assert hcl_list(commands["beat"])[:4] == ["celery", "-A", "mbn_platform.config", "beat"]
