"""Paths and small helpers shared by the tests."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import jinja2
import pytest

from generators import __version__
from generators.fill.task import FillTask

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "taskboard"
EXAMPLE_API = EXAMPLE / "openapi.yaml"
EXAMPLE_DB = EXAMPLE / "database-schema.json"
SHARED = ROOT.parent / "shared"


def shared_file(*parts: str) -> Path:
    """A file from ../shared, or a skip that says why when the folder is not beside the clone."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"{path} is absent: the public reference files live in ../shared beside the clone"
        )
    return path


GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Spec Foundry tests",
    "GIT_AUTHOR_EMAIL": "tests@specfoundry.invalid",
    "GIT_COMMITTER_NAME": "Spec Foundry tests",
    "GIT_COMMITTER_EMAIL": "tests@specfoundry.invalid",
}


def copy_working_tree(destination: Path) -> Path:
    """This checkout's files as its working tree has them (uncommitted changes included,
    ignored files left out), copied to ``destination``: a template to make releases of."""
    command = ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"]
    listed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    for name in filter(None, listed.stdout.split("\0")):
        source = ROOT / name
        if source.is_file():  # a file deleted in the working tree is still listed
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    return destination


def files_of(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


TEMPLATE = ROOT / "template"
ANSWERS = {
    "project_name": "Scaffold",
    "package_name": "scaffold",
    "description": "A project the tests lay out.",
    "database": "sqlite",
    "specfoundry_version": __version__,
}


def template_tool(name: str) -> ModuleType:
    """A tool of the template, ``tools/<name>.py``, imported as the project imports it
    (``tools.<name>``, its sibling modules such as ``tools.operations`` with it); the
    template is on ``sys.path`` for the import only (its ``src`` stays out of reach)."""
    sys.path.insert(0, str(TEMPLATE))
    try:
        return importlib.import_module(f"tools.{name}")
    finally:
        sys.path.remove(str(TEMPLATE))


CLIENT_ON_ARGV_DATABASE = """
engine = create_db_engine(sys.argv[1])
Base.metadata.create_all(engine)
factory = sessionmaker(bind=engine, expire_on_commit=False)


def one_session_per_request():  # as src/core/database.py's get_session, on this engine
    session = factory()
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()


app = create_app()
app.dependency_overrides[get_session] = one_session_per_request
client = TestClient(app)
api = "/api/v1"


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def log_in(email, password):
    return client.post(f"{api}/auth/login", json={"email": email, "password": password})


def refresh(token):
    return client.post(f"{api}/auth/refresh", json={"refreshToken": token})
"""
"""The middle of a flow script run in a filled project (``python -c SCRIPT DATABASE_URL``):
the app on that database, a ``TestClient`` on it and the auth calls. The script imports
``sys``, ``TestClient``, ``sessionmaker``, ``create_db_engine``, ``get_session``,
``create_app`` and ``Base`` before it."""


def stop_servers(*servers: subprocess.Popen[Any]) -> None:
    """SIGTERM to each server (uvicorn shuts down gracefully), then wait for each: 30 s
    before it is killed."""
    for server in servers:
        server.send_signal(signal.SIGTERM)
    for server in servers:
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def lay_out_template(project: Path, **answers: str) -> None:
    """The template as ``copier copy`` lays it out: its static files and its rendered
    ``.jinja`` files, without the task (each test generates what it needs)."""
    values = {**ANSWERS, **answers}
    ignore = shutil.ignore_patterns("*.jinja", "__pycache__", "*.pyc")
    shutil.copytree(TEMPLATE, project, ignore=ignore, dirs_exist_ok=True)
    for source in TEMPLATE.rglob("*.jinja"):
        relative = source.relative_to(TEMPLATE)
        if "{{" in str(relative):  # the answers file: copier's own
            continue
        template = jinja2.Template(source.read_text(encoding="utf-8"), keep_trailing_newline=True)
        target = project / str(relative).removesuffix(".jinja")
        target.write_text(template.render(**values), encoding="utf-8")
    (project / "specs").mkdir(exist_ok=True)


def place_contract(source: Path, project: Path, *, folder: bool = False) -> Path:
    """Put an API contract where the copier task puts it, ``specs/openapi.yaml``; a contract
    split over several files (``folder``) is bundled into that one file, as the task does
    (``specfoundry bundle``), so the project's own tools read it whole. The contract's path
    in the project."""
    from generators.cli import main

    target = project / "specs" / "openapi.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    if folder:
        bundled = main(["bundle", "--openapi", str(source), "--out", str(target)])
        assert bundled == 0, f"specfoundry bundle {source} exited {bundled}"
    else:
        shutil.copyfile(source, target)
    return target


def run_in_project(
    command: list[str], project: Path, timeout: float | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a command in a generated project as its gate would: this interpreter's environment
    without the variables that change what the project reads (``API_PREFIX``, ``PYTHONPATH``)."""
    env = {k: v for k, v in os.environ.items() if k not in ("API_PREFIX", "PYTHONPATH")}
    return subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, check=False, timeout=timeout
    )


def assert_code_is_clean(project: Path, *paths: str) -> None:
    """``ruff check``, ``ruff format --check`` and ``mypy --strict`` pass on ``paths`` of a
    generated project (``specs`` and ``src`` by default), as its gate requires."""
    paths = paths or ("specs", "src")
    for command in (
        ["ruff", "check", *paths],
        ["ruff", "format", "--check", *paths],
        ["mypy", "--strict", *paths],
    ):
        result = run_in_project([sys.executable, "-m", *command], project)
        assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"


_SEND = """
import json, sys
from fastapi.testclient import TestClient
from src.main import create_app

client = TestClient(create_app(), raise_server_exceptions="answered" not in sys.argv)
out = {"openapi": client.get("/openapi.json").json(), "responses": {}}
for name, (method, url, send) in json.load(sys.stdin).items():
    files = [
        (key, (name or None, text.encode(), *kind))
        for key, name, text, *kind in send.get("files", [])
    ]
    content = send["content"].encode() if "content" in send else None
    response = client.request(
        method, url, data=send.get("data"), files=files or None, json=send.get("json"),
        content=content, headers=send.get("headers"),
    )
    try:
        body = response.json()
    except ValueError:  # another media type (a 500's text)
        body = response.text
    out["responses"][name] = [response.status_code, body]
print(json.dumps(out))
"""


def send_requests(
    project: Path, requests: Mapping[str, tuple[str, str, Any]], *, answered: bool = False
) -> dict[str, Any]:
    """Send each of ``requests`` (name → method, URL and what to send: ``data``, ``files``
    as ``[field, filename, text]`` or ``[field, filename, text, content type]``, ``json``,
    ``content``, ``headers``) to the project's app,
    in a process of its own: ``{"openapi": the served document, "responses": {name:
    [status, JSON body]}}`` (a body in another media type as its text). ``answered``: an
    error the app does not handle is answered 500, as a server would, instead of raised."""
    result = subprocess.run(
        [sys.executable, "-c", _SEND, *(["answered"] if answered else [])],
        input=json.dumps(requests),
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))


FIDELITY_REPORT = ".truth/spec_fidelity.json"


def run_fidelity(
    project: Path, timeout: float | None = None
) -> tuple[subprocess.CompletedProcess[str], dict[str, Any] | None]:
    """The project's contract fidelity check, run as its gate runs it (a subprocess on
    ``specs/openapi.yaml``): what it printed, and its JSON report when it compared the
    documents (exit 0: all equivalent, 1: differences; else None)."""
    command = [sys.executable, "-m", "tools.contract_fidelity", "specs/openapi.yaml"]
    command += ["--json", FIDELITY_REPORT]
    result = run_in_project(command, project, timeout=timeout)
    if result.returncode not in (0, 1):
        return result, None
    report = json.loads((project / FIDELITY_REPORT).read_text(encoding="utf-8"))
    return result, report


def example_filled_deterministically(root: Path) -> dict[str, str]:
    """The bundled example generated in ``root`` (which must not exist yet), each body the
    deterministic fillers write inserted, without the loop's checks (the tests run them):
    operationId → the filler that wrote it."""
    return filled_deterministically(root, EXAMPLE_API, EXAMPLE_DB)


def answer_key(folder: Path) -> dict[str, str]:
    """A contract pair's answer key (``answers.toml``): operationId → the head of the note
    of the body its fillers write (``crud: list User``), or "declined"."""
    return tomllib.loads((folder / "answers.toml").read_text(encoding="utf-8"))


def fill_pair(openapi: Path, database: Path, root: Path) -> dict[str, str]:
    """The pair generated and filled by the deterministic fillers in ``root``:
    operationId → the head of its proposal's note (``auth: login``), "declined" where no
    filler wrote it."""
    from generators.loading.project import load_project

    notes: dict[str, str] = {}
    filled_deterministically(root, openapi, database, notes=notes)
    project, _ = load_project(openapi, database)
    return {
        op.operation_id: notes[op.operation_id].split(" (")[0]
        if op.operation_id in notes
        else "declined"
        for op in project.api.operations
    }


def filled_deterministically(
    root: Path, openapi: Path, database: Path, notes: dict[str, str] | None = None
) -> dict[str, str]:
    """Contracts generated in ``root`` (which must not exist yet), each body the
    deterministic fillers write inserted: operationId → the filler that wrote it (and, in
    ``notes`` where given, → its proposal's note)."""
    import ast

    from generators.emit.api import function_names, module_names
    from generators.emit.services import module_path
    from generators.fill import deterministic_fillers
    from generators.fill.insert import insert_body
    from generators.fill.task import FillTask, Proposal
    from generators.generate import generate
    from generators.loading.project import load_project

    root.mkdir(parents=True)
    lay_out_template(root)
    shutil.copy(openapi, root / "specs/openapi.yaml")
    shutil.copy(database, root / "specs/database-schema.json")
    generate(root / "specs/openapi.yaml", root / "specs/database-schema.json", root)
    project, _ = load_project(root / "specs/openapi.yaml", root / "specs/database-schema.json")
    functions, modules = function_names(project.api), module_names(project.api)
    done: dict[str, str] = {}
    for operation in project.api.operations:
        path, function = module_path(modules[operation.tag]), functions[operation.operation_id]
        text = (root / path).read_text(encoding="utf-8")
        node = next(
            n for n in ast.parse(text).body if isinstance(n, ast.FunctionDef) and n.name == function
        )
        source = ast.get_source_segment(text, node) or ""
        task = FillTask(project, operation, path, function, source, root)
        for filler in deterministic_fillers():
            proposal = filler.propose(task, [])
            if isinstance(proposal, Proposal):
                edited = insert_body(text, function, proposal, root, path)
                (root / path).write_text(edited, encoding="utf-8")
                done[operation.operation_id] = filler.name
                if notes is not None:
                    notes[operation.operation_id] = proposal.note
                break
    return done


def task_of(root: Path, operation_id: str, **changes: object) -> FillTask:
    """The fill task of one operation of the project in ``root`` (the operation changed as
    given), on its function's current source."""
    import ast
    import dataclasses

    from generators.emit.api import function_names, module_names
    from generators.emit.services import module_path
    from generators.loading.project import load_project

    project, _ = load_project(root / "specs/openapi.yaml", root / "specs/database-schema.json")
    operation = next(op for op in project.api.operations if op.operation_id == operation_id)
    operation = dataclasses.replace(operation, **changes)  # type: ignore[arg-type]
    path = module_path(module_names(project.api)[operation.tag])
    function = function_names(project.api)[operation_id]
    text = (root / path).read_text(encoding="utf-8")
    node = next(
        n for n in ast.parse(text).body if isinstance(n, ast.FunctionDef) and n.name == function
    )
    source = ast.get_source_segment(text, node) or ""
    return FillTask(project, operation, path, function, source, root)


EXAMPLE_ANSWERS = EXAMPLE / "llm-answers.json"
"""The recorded answers of the example's two business actions (archiveProject, assignTask)."""


def example_served(filled: Path, root: Path) -> Path:
    """A copy at ``root`` of the example the deterministic fillers filled (``filled``),
    its two business actions written by the replayed answers ``nox -s demo`` uses: the
    example as a user would serve it, no operation answering 501. ``root``."""
    from generators.fill.insert import insert_body
    from generators.fill.llm import LlmFiller
    from generators.fill.loop import unfilled_tasks
    from generators.fill.providers import ReplayProvider
    from generators.fill.task import Proposal
    from generators.loading.project import load_project

    shutil.copytree(filled, root)
    project, _ = load_project(root / "specs/openapi.yaml", root / "specs/database-schema.json")
    filler = LlmFiller(ReplayProvider.from_file(EXAMPLE_ANSWERS))
    for task in unfilled_tasks(project, root):
        proposal = filler.propose(task, [])
        assert isinstance(proposal, Proposal), proposal
        module = root / task.module
        text = module.read_text(encoding="utf-8")
        module.write_text(
            insert_body(text, task.function, proposal, root, task.module), encoding="utf-8"
        )
    assert not unfilled_tasks(project, root), "a body is still unwritten"
    return root
