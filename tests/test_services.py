"""Service modules are the user's: regeneration appends what the contract adds, nothing else.

One project lives through several contract versions: the first generation writes the stubs;
the user fills one; the contract gains an operation in the same tag (appended to the existing
module, whose text stays as it was) and a new tag (a new module); it loses an operation (the
function is reported as orphaned, never deleted); a parameter changes under a filled service
(``mypy --strict`` on the project catches the drift, since routers call services by keyword).
"""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generators.cli import EXIT_BREAKING, main
from generators.emit.services import extend_services, plan_services
from generators.generate import generate
from generators.loading.openapi import load_api
from tests.helpers import lay_out_template

Json = dict[str, Any]
TASK = {"$ref": "#/components/schemas/Task"}


def _ok(schema: Json | None = None, status: str = "200") -> Json:
    if schema is None:
        return {status: {"description": "Done"}}
    content = {"application/json": {"schema": schema}}
    return {status: {"description": "OK", "content": content}}


def _path(name: str, kind: str = "integer") -> Json:
    return {"name": name, "in": "path", "required": True, "schema": {"type": kind}}


def version_1() -> Json:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Services", "version": "1.0.0"},
        "paths": {
            "/tasks": {
                "get": {
                    "operationId": "listTasks",
                    "tags": ["tasks"],
                    "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}}],
                    "responses": _ok({"type": "array", "items": TASK}),
                },
                "post": {
                    "operationId": "createTask",
                    "tags": ["tasks"],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": TASK}},
                    },
                    "responses": _ok(TASK, "201"),
                },
            },
            "/tasks/{taskId}": {
                "get": {
                    "operationId": "getTask",
                    "tags": ["tasks"],
                    "parameters": [_path("taskId")],
                    "responses": _ok(TASK),
                }
            },
        },
        "components": {
            "schemas": {
                "Task": {
                    "type": "object",
                    "properties": {"id": {"type": "integer"}, "title": {"type": "string"}},
                    "required": ["id", "title"],
                },
                "Receipt": {
                    "type": "object",
                    "properties": {"archived": {"type": "boolean"}},
                    "required": ["archived"],
                },
            }
        },
    }


def version_2() -> Json:
    """An operation more in ``tasks`` (its stub needs an import the module lacks), a new tag."""
    contract = version_1()
    contract["paths"]["/tasks/{taskId}/archive"] = {
        "post": {
            "operationId": "archiveTask",
            "tags": ["tasks"],
            "parameters": [_path("taskId")],
            "responses": _ok({"$ref": "#/components/schemas/Receipt"}),
        }
    }
    contract["paths"]["/reports/{year}"] = {
        "get": {
            "operationId": "yearlyReport",
            "tags": ["reports"],
            "parameters": [_path("year")],
            "responses": _ok({"type": "object", "additionalProperties": True}),
        }
    }
    return contract


def version_3() -> Json:
    """``listTasks`` is gone."""
    contract = version_2()
    del contract["paths"]["/tasks"]["get"]
    return contract


def drifted() -> Json:
    """``getTask`` (filled by the user) now takes a string id and a required query flag."""
    contract = version_3()
    get_task = contract["paths"]["/tasks/{taskId}"]["get"]
    get_task["parameters"] = [
        _path("taskId", "string"),
        {"name": "verbose", "in": "query", "required": True, "schema": {"type": "boolean"}},
    ]
    return contract


FILLED_GET_TASK = 'return Task(id=task_id, title=f"task {task_id}")'

# The user's own additions at the top: an import (in sorted order) and a logger.
USER_HEADER = (
    "from sqlalchemy.orm import Session\n",
    "import logging\n\nfrom sqlalchemy.orm import Session\n",
)
USER_LOGGER = (
    "ServiceNotImplementedError\n\n\ndef list_tasks(",
    "ServiceNotImplementedError\n\nlogger = logging.getLogger(__name__)\n\n\ndef list_tasks(",
)


def scaffold(project: Path) -> None:
    """The template laid out (its pyproject carries the project's ruff and mypy settings)."""
    lay_out_template(project)


def regenerate(project: Path, contract: Json) -> Any:
    """Generate from ``contract``, breaking changes accepted: these tests are about what
    regeneration does to the code (tests/test_breaking.py about stopping first)."""
    spec = project / "specs/openapi.yaml"
    spec.write_text(yaml.safe_dump(contract, sort_keys=False))
    return generate(spec, None, project, accept_breaking=True)


def cli(
    project: Path, command: str, capsys: pytest.CaptureFixture[str], *options: str
) -> tuple[int, str]:
    args = [command, "--openapi", str(project / "specs/openapi.yaml"), "--out", str(project)]
    code = main([*args, *options])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def ruff_clean(project: Path, *paths: str) -> None:
    """The project's own ruff settings (its pyproject), as ``nox -s verify`` runs them."""
    for command in (["check"], ["format", "--check"]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *command, "--no-cache", *paths],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def mypy(project: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mypy", "--strict", "--explicit-package-bases"]
    command += ["--cache-dir", str(cache), "src/api", "src/services", "specs"]
    return subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generated from version 1, then ``get_task`` filled and a header of the user's own."""
    root = tmp_path_factory.mktemp("services")
    scaffold(root)
    regenerate(root, version_1())
    service = root / "src/services/tasks.py"
    text = service.read_text()
    for old, new in (USER_HEADER, USER_LOGGER):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    text = text.replace('raise ServiceNotImplementedError("getTask")', FILLED_GET_TASK)
    service.write_text(text)
    ruff_clean(root, "src/services")
    return root


def test_the_first_generation_writes_every_stub(project: Path) -> None:
    report = plan_services(load_api(project / "specs/openapi.yaml"), project)
    assert report.unfilled == ("tasks.create_task", "tasks.list_tasks")
    assert report.missing == report.orphaned == ()


def test_new_operations_are_appended_and_new_tags_get_a_module(
    project: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    service = project / "src/services/tasks.py"
    before = service.read_text()

    generated = regenerate(project, version_2())

    after = service.read_text()
    assert generated.report.extended == ["src/services/tasks.py"]
    assert generated.extension.added == {"src/services/tasks.py": ("archive_task",)}
    assert "src/services/reports.py" in generated.report.created
    assert "def yearly_report(" in (project / "src/services/reports.py").read_text()
    # Everything from the first function on is byte for byte what it was, the stub follows.
    functions = before[before.index("\nlogger") :]
    assert after.endswith(functions + "\n\ndef archive_task(" + after.split("def archive_task(")[1])
    assert 'raise ServiceNotImplementedError("archiveTask")' in after
    # The import block only gained the name the stub needs (sorted again: it was sorted).
    head_before, head_after = before[: before.index(functions)], after[: after.index(functions)]
    assert head_after == head_before.replace(
        "from specs.schemas import Task\n", "from specs.schemas import Receipt, Task\n"
    )
    ruff_clean(project, "src/services")
    assert mypy(project, tmp_path / "mypy").returncode == 0

    code, out = cli(project, "status", capsys)
    assert "missing" not in out.split("\n")[0] and "0 missing" in out
    assert "unfilled  tasks.archive_task" in out and "unfilled  reports.yearly_report" in out


def test_a_lost_operation_is_reported_and_its_function_kept(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    regenerate(project, version_2())  # the state the previous test leaves (if run alone)
    service = project / "src/services/tasks.py"
    before = service.read_bytes()
    spec = project / "specs/openapi.yaml"
    spec.write_text(yaml.safe_dump(version_3(), sort_keys=False))

    code, out = cli(project, "generate", capsys)
    assert code == EXIT_BREAKING and "GET /tasks: operation removed" in out
    assert service.read_bytes() == before
    code, out = cli(project, "generate", capsys, "--accept-breaking")

    assert code == 0
    assert "tasks.list_tasks is orphaned" in out
    assert service.read_bytes() == before
    code, out = cli(project, "status", capsys)
    assert "orphaned  tasks.list_tasks" in out and "1 orphaned" in out

    # The same contract again: nothing to write, the warning stays.
    mtimes = {path: path.stat().st_mtime_ns for path in project.rglob("*.py")}
    code, out = cli(project, "generate", capsys)
    assert "Nothing to write" in out and "tasks.list_tasks is orphaned" in out
    assert {path: path.stat().st_mtime_ns for path in project.rglob("*.py")} == mtimes


def test_signature_drift_under_a_filled_service_fails_mypy(project: Path, tmp_path: Path) -> None:
    regenerate(project, version_3())
    assert mypy(project, tmp_path / "mypy").returncode == 0
    filled = (project / "src/services/tasks.py").read_text()

    generated = regenerate(project, drifted())

    assert (project / "src/services/tasks.py").read_text() == filled
    # generate names the operation and says how its signature moved; mypy names the function.
    assert generated.services.drifted == (
        "getTask (GET /tasks/{taskId}, src/services/tasks.py get_task): the route now passes "
        "verbose: bool; task_id is now str (was int)",
    )
    result = mypy(project, tmp_path / "mypy")
    assert result.returncode != 0
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert errors and all(line.startswith("src/api/v1/tasks.py") for line in errors), errors
    assert any('"get_task"' in line and '"verbose"' in line for line in errors), errors
    assert any('"get_task"' in line and '"str"' in line for line in errors), errors
    regenerate(project, version_3())  # back where the other tests expect it


# --- Unit cases of extend_services ---------------------------------------------------------


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    scaffold(tmp_path)
    regenerate(tmp_path, version_1())
    return tmp_path


def _spec(project: Path, contract: Json) -> Any:
    spec = project / "specs/openapi.yaml"
    spec.write_text(yaml.safe_dump(contract, sort_keys=False))
    return load_api(spec)


def test_an_unsorted_import_block_only_gains_lines(fresh: Path) -> None:
    """Imports the user left unsorted stay as they are: the new line is inserted after the
    last one, no other line changes (ruff's I001 failed before and still does)."""
    service = fresh / "src/services/tasks.py"
    errors = "from src.core.errors import ServiceNotImplementedError\n"
    text = service.read_text().replace(errors, errors + "import os\n")
    service.write_text(text)

    after = extend_services(_spec(fresh, version_2()), fresh).files["src/services/tasks.py"]

    cut = text.index("import os\n") + len("import os\n")
    head = text[:cut] + "from specs.schemas import Receipt\n" + text[cut:]
    assert after.startswith(head)
    assert after[len(head) :].startswith("\n\ndef archive_task(")


def test_a_name_the_module_binds_otherwise_is_never_imported_over(fresh: Path) -> None:
    service = fresh / "src/services/tasks.py"
    service.write_text(service.read_text() + "\n\nReceipt = dict[str, bool]\n")
    extension = extend_services(_spec(fresh, version_2()), fresh)
    assert extension.files == {}
    assert extension.warnings == (
        "src/services/tasks.py: archive_task not added: the module already binds Receipt "
        "to something else than its stub needs",
    )


def test_a_module_that_is_not_python_is_reported_not_extended(
    fresh: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    service = fresh / "src/services/tasks.py"
    service.write_text(service.read_text() + "\ndef broken(:\n")
    extension = extend_services(_spec(fresh, version_2()), fresh)
    assert extension.files == {}
    assert extension.warnings[0].startswith("src/services/tasks.py: not valid Python")
    code, out = cli(fresh, "status", capsys)
    assert code == 1 and "invalid   src/services/tasks.py" in out


def test_a_function_imported_from_elsewhere_counts_as_written(fresh: Path) -> None:
    service = fresh / "src/services/tasks.py"
    text = service.read_text()
    start = text.index("\n\n\ndef list_tasks(")
    end = text.index("\n\n\ndef", start + 1)
    (fresh / "src/services/shared.py").write_text('"""Mine."""\n')
    service.write_text(
        text[:start].replace(
            "from src.core.errors",
            "from src.services.shared import list_tasks  # noqa\nfrom src.core.errors",
        )
        + text[end:]
    )
    api = _spec(fresh, version_1())
    assert extend_services(api, fresh).files == {}
    assert plan_services(api, fresh).missing == ()


def test_a_contract_without_changes_extends_nothing(fresh: Path) -> None:
    assert extend_services(_spec(fresh, copy.deepcopy(version_1())), fresh).files == {}
