"""The generated noxfile's gate runs its steps side by side: the contract test and the
other tests are two runs whose coverage the test step combines once the contract test has
ended; a failing step still fails the gate; the project is installed again only when its
pyproject.toml changed. The noxfile is rendered from the template and imported; its
steps are given stand-in commands and its sessions a stand-in that records what they do.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

from tests.helpers import lay_out_template


@pytest.fixture(scope="module")
def noxfile(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    project = tmp_path_factory.mktemp("rendered")
    lay_out_template(project)
    spec = importlib.util.spec_from_file_location("gate_noxfile", project / "noxfile.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Session:
    """What run_steps asks of a nox session: an environment, install, run, log."""

    def __init__(self, venv: Path) -> None:
        self.env: dict[str, str] = {}
        self.bin_paths = [str(Path(sys.executable).parent)]
        self.virtualenv = SimpleNamespace(location=str(venv))
        self.installed: list[tuple[str, ...]] = []
        self.ran: list[tuple[str, ...]] = []
        self.logged: list[str] = []

    def install(self, *args: str) -> None:
        self.installed.append(args)

    def run(self, *args: str, **kwargs: Any) -> None:
        self.ran.append(args)

    def log(self, message: str) -> None:
        self.logged.append(message)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project directory with a pyproject.toml, the working directory."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "pyproject.toml").write_text(
        '[project]\nname = "p"\nversion = "0"\n[dependency-groups]\ndev = ["pytest"]\n'
    )
    monkeypatch.chdir(root)
    return root


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_a_session_runs_the_steps_its_steps_wait_for(noxfile: ModuleType) -> None:
    assert noxfile.with_needed(["coverage_report"]) == [
        "contract_output",
        "test_output",
        "coverage_report",
    ]
    assert noxfile.with_needed(["security_output", "lint_output"]) == [
        "lint_output",
        "security_output",
    ]
    assert noxfile.with_needed(list(noxfile.VERIFY_STEPS)) == list(noxfile.VERIFY_STEPS)


def test_the_test_step_runs_every_test_but_the_contract_test_and_combines_both(
    noxfile: ModuleType,
) -> None:
    """schemathesis runs once, in contract_output; the test step's coverage is of both."""
    contract, tests = noxfile.VERIFY_STEPS["contract_output"], noxfile.VERIFY_STEPS["test_output"]
    assert [c for c in contract if "pytest" in c] == contract
    assert "tests/test_contract.py" in contract[0]
    assert "--ignore=tests/test_contract.py" in tests[0]
    data = {
        arg.split("=", 1)[1] for arg in contract[0] + tests[0] if arg.startswith("--data-file=")
    }
    assert data == {".coverage.tests", ".coverage.contract"}
    assert tests[noxfile.WAITS_FOR["test_output"][0]] == [
        "coverage",
        "combine",
        "--keep",
        ".coverage.tests",
        ".coverage.contract",
    ]
    assert ["coverage", "report"] in tests  # fail_under: the gate's floor, of both runs


def test_a_step_waits_for_the_step_whose_output_it_reads_and_a_failure_fails_the_gate(
    noxfile: ModuleType, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The contract test's stand-in fails after a while and leaves its data; the test
    step's second command needs that data: it passes only when it ran after the contract
    step ended. The gate fails on the contract step alone."""
    steps = {
        "contract_output": [
            python(
                "import pathlib, sys, time; time.sleep(1); "
                "pathlib.Path('contract.data').write_text('x'); "
                "print('1 failed, 20 passed'); sys.exit(1)"
            )
        ],
        "test_output": [
            python("print('319 passed')"),
            python("import pathlib; print(pathlib.Path('contract.data').read_text())"),
        ],
        "lint_output": [python("print('All checks passed!')")],
    }
    monkeypatch.setattr(noxfile, "VERIFY_STEPS", steps)
    session = Session(project / "venv")
    (project / "venv").mkdir()
    failed = noxfile.run_steps(session, ["test_output", "lint_output"], "test")
    assert failed == ["contract_output"]
    proofs = {
        path.name.rsplit("-", 1)[0]: path.read_text()
        for path in (project / ".truth/proofs/G5").iterdir()
    }
    assert sorted(proofs) == ["contract_output", "lint_output", "test_output"]
    assert "Exit Code: 1\n" in proofs["contract_output"]
    assert "1 failed, 20 passed" in proofs["contract_output"]
    assert "Exit Code: 0\n" in proofs["test_output"], proofs["test_output"]
    assert "319 passed" in proofs["test_output"] and "\nx\n" in proofs["test_output"]
    recorded = next(args for args in session.ran if args[3] == "record")
    assert [Path(p).name.rsplit("-", 1)[0] for p in recorded[6:]] == list(steps)
    assert "[1/3] contract_output" in session.logged


def test_the_project_is_installed_again_only_when_its_pyproject_changed(
    noxfile: ModuleType, project: Path
) -> None:
    session = Session(project / "venv")
    (project / "venv").mkdir()
    noxfile.install_project(session)
    noxfile.install_project(session)
    assert session.installed == [("-e", ".", "pytest")]
    (project / "pyproject.toml").write_text(
        (project / "pyproject.toml").read_text().replace('"pytest"', '"pytest", "httpx"')
    )
    noxfile.install_project(session)
    assert session.installed[1:] == [("-e", ".", "pytest", "httpx")]
