"""The seed's compliance rules (template/tools/compliance.py, part of the gate's spec step):
the generated example keeps all five, and each rule fails when the code breaks it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import EXAMPLE_API, EXAMPLE_DB
from tests.test_fidelity import scaffold


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("compliance") / "project"
    scaffold(root, EXAMPLE_API, EXAMPLE_DB)
    return root


def compliance(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tools.compliance", "specs/openapi.yaml"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_generated_example_keeps_every_rule(project: Path) -> None:
    result = compliance(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASS routes: 21 operations, 21 route decorators" in result.stdout
    assert result.stdout.endswith("5/5 compliance rules kept\n")


USERS = "src/api/v1/users.py"
SERVICE = "src/services/projects.py"
RAW = '\n\ndef raw(session: Session) -> None:\n    session.execute("SELECT 1")\n' * 4
NOT_RAW = "\n\nclass Reader:\n    def text(self) -> None:\n        self.text()\n" * 4


@pytest.mark.parametrize(
    ("path", "old", "new", "failure"),
    [
        (USERS, "@router.get(", "@staticmethod\n@dict(", "FAIL routes: 21 operations, 20"),
        (USERS, "from specs.schemas import", "from specs.schemas  import", None),
        (USERS, "    response_model=UserListResponse,\n", "", "FAIL response-model: src/api"),
        (
            USERS,
            "router = OperationRouter(",
            "class Page(BaseModel):\n    n: int\n\n\nrouter = OperationRouter(",
            "FAIL no-api-models: src/api/v1/users.py:",
        ),
        (SERVICE, "\n\ndef ", RAW + "\n\ndef ", "FAIL raw-sql: 5 (at most 3)"),
        (SERVICE, "\n\ndef ", NOT_RAW + "\n\ndef ", None),  # a method called text
    ],
)
def test_each_rule_can_fail(
    project: Path, path: str, old: str, new: str, failure: str | None
) -> None:
    file = project / path
    before = file.read_text()
    assert old in before
    file.write_text(before.replace(old, new, 1))
    try:
        result = compliance(project)
    finally:
        file.write_text(before)
    if failure is None:  # the same import, spelled otherwise: still kept
        assert result.returncode == 0, result.stdout
        return
    assert result.returncode == 1, result.stdout
    assert failure in result.stdout, result.stdout


def test_imports_from_schemas_and_models_are_required(project: Path) -> None:
    routers = {p: p.read_text() for p in (project / "src/api/v1").glob("*.py")}
    for path, text in routers.items():
        path.write_text(text.replace("from specs.schemas import", "from elsewhere import"))
    try:
        result = compliance(project)
    finally:
        for path, text in routers.items():
            path.write_text(text)
    assert "FAIL imports: no router imports from specs.schemas" in result.stdout

    # Stubs need no model; a written service that reads no model breaks the rule.
    service = project / "src/services/users.py"
    stubs = service.read_text()
    assert "PASS imports" in compliance(project).stdout
    service.write_text('"""Written."""\n\n\ndef list_users() -> list[str]:\n    return []\n')
    try:
        result = compliance(project)
    finally:
        service.write_text(stubs)
    assert "FAIL imports: no service imports from src.models" in result.stdout
