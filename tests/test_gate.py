"""The generated project's gate records (template/tools/gate.py): truth.json from the proof
files, and a status that approves only when the latest required proofs passed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import TEMPLATE

PASSING_TESTS = """\
============================= test session starts ==============================
tests/test_health.py ..                                                   [100%]
Name                 Stmts   Miss  Cover
----------------------------------------
src/main.py             10      1    90%
----------------------------------------
TOTAL                  100      9    91%
42 passed in 1.20s
"""


def _proof(root: Path, kind: str, epoch_ms: int, exit_code: int, stdout: str = "") -> Path:
    path = root / f".truth/proofs/G5/{kind}-{epoch_ms}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"Command: run {kind}\nExit Code: {exit_code}\nTimestamp: 2026-11-26T10:00:00Z\n\n"
        f"=== STDOUT ===\n{stdout}\n\n=== STDERR ===\n\n",
        encoding="utf-8",
    )
    return path.relative_to(root)


def _gate(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tools.gate", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(TEMPLATE)},
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tmp_path


def _status(root: Path) -> tuple[int, dict[str, Any]]:
    result = _gate(root, "status")
    status: dict[str, Any] = json.loads((root / ".truth/gate_status.json").read_text())
    return result.returncode, status


def test_passing_proofs_are_recorded_and_approved(project: Path) -> None:
    proofs = [
        _proof(project, "build_output", 1, 0, "$ python -c x\n47 routes"),
        _proof(project, "lint_output", 2, 0, "$ ruff check .\nAll checks passed!"),
        _proof(project, "test_output", 3, 0, PASSING_TESTS),
    ]
    recorded = _gate(project, "record", "--by", "test", *map(str, proofs))
    assert recorded.returncode == 0, recorded.stderr
    truth = json.loads((project / ".truth/truth.json").read_text())
    artifacts = {a["proof_type"]: a for a in truth["proof_artifacts"]}
    assert artifacts["test_output"]["content_summary"] == "42 passed, 0 failed, coverage 91%"
    assert artifacts["build_output"]["content_summary"] == "exit code 0: 47 routes"
    assert len(artifacts["lint_output"]["file_hash"]) == 64
    assert {a["pass_fail"] for a in artifacts.values()} == {"pass"}
    assert {a["created_by"] for a in artifacts.values()} == {"test"}
    code, status = _status(project)
    assert code == 0 and status["can_approve"] is True, status
    assert status["missing"] == [] and status["blocking_issues"] == []
    _gate(project, "record", *map(str, proofs))  # recorded once only
    assert len(json.loads((project / ".truth/truth.json").read_text())["proof_artifacts"]) == 3


def test_only_the_latest_proof_of_a_type_counts(project: Path) -> None:
    proofs = [
        _proof(project, "build_output", 1, 0),
        _proof(project, "lint_output", 2, 0, "All checks passed!"),
        _proof(project, "test_output", 3, 1, "1 passed, 2 failed"),
        _proof(project, "test_output", 4, 0, PASSING_TESTS),  # fixed since
    ]
    _gate(project, "record", *map(str, proofs))
    assert _status(project)[0] == 0
    _gate(project, "record", str(_proof(project, "lint_output", 5, 1, "F401 unused")))
    code, status = _status(project)
    assert code == 1 and status["can_approve"] is False
    assert status["failed"] == ["lint_output"]
    assert status["blocking_issues"] == ["lint_output failed: exit code 1: F401 unused"]


def test_missing_and_changed_proofs_block(project: Path) -> None:
    build = _proof(project, "build_output", 1, 0)
    lint = _proof(project, "lint_output", 2, 0, "All checks passed!")
    _gate(project, "record", str(build), str(lint))
    code, status = _status(project)
    assert code == 1 and status["missing"] == ["test_output"]
    assert "test_output has no proof yet" in status["blocking_issues"]
    _gate(project, "record", str(_proof(project, "test_output", 3, 0, PASSING_TESTS)))
    assert _status(project)[0] == 0
    (project / lint).write_text(
        (project / lint).read_text().replace("Exit Code: 0", "Exit Code: 0 ")
    )
    code, status = _status(project)
    assert code == 1 and "lint_output" in status["failed"]
    assert any("changed since it was recorded" in issue for issue in status["blocking_issues"])


def test_an_optional_failure_does_not_block(project: Path) -> None:
    proofs = [
        _proof(project, "build_output", 1, 0),
        _proof(project, "lint_output", 2, 0),
        _proof(project, "test_output", 3, 0, PASSING_TESTS),
        _proof(project, "coverage_report", 4, 2, "Coverage failure: total of 70 is less than 80"),
    ]
    _gate(project, "record", *map(str, proofs))
    code, status = _status(project)
    assert code == 0 and status["failed"] == ["coverage_report"], status


def test_any_other_failed_step_blocks_too(project: Path) -> None:
    proofs = [
        _proof(project, "build_output", 1, 0),
        _proof(project, "lint_output", 2, 0),
        _proof(project, "test_output", 3, 0, PASSING_TESTS),
        _proof(project, "security_output", 4, 1, "FAIL unfilled: tasks.assign_task"),
    ]
    _gate(project, "record", *map(str, proofs))
    code, status = _status(project)
    assert code == 1 and status["failed"] == ["security_output"]
    assert status["blocking_issues"] == [
        "security_output failed: exit code 1: FAIL unfilled: tasks.assign_task"
    ]


def test_a_checkpoint_report_names_its_proofs_files_and_options(project: Path) -> None:
    (project / "src/api/v1").mkdir(parents=True)
    (project / "src/api/v1/users.py").write_text("")
    (project / "src/main.py").write_text("")
    proofs = [
        _proof(project, "spec_output", 1, 0, "21/21 operations equivalent (100%)"),
        _proof(project, "security_output", 2, 1, "FAIL unfilled: tasks.assign_task"),
    ]
    _gate(project, "record", *map(str, proofs))
    written = _gate(project, "checkpoint", "G5.4", "spec_output", "security_output")
    assert written.returncode == 0, written.stderr
    report = (project / ".truth/checkpoints/G5.4.md").read_text()
    assert report.startswith("# Checkpoint G5.4: Routes and middleware — FAIL\n")
    assert "- `spec_output`: pass — exit code 0: 21/21 operations equivalent (100%)" in report
    assert "- `security_output`: fail — exit code 1: FAIL unfilled: tasks.assign_task" in report
    assert "- `src/api/v1/users.py`" in report and "- `src/main.py`" in report
    for heading in ("## Built", "## Key decisions", "## Files (2)", "## Test it", "## Options"):
        assert heading in report
    assert all(f"- {option}. " in report for option in "ABCD")


def test_the_html_report_shows_status_steps_coverage_and_escaped_proofs(project: Path) -> None:
    proofs = [
        _proof(project, "build_output", 1, 0),
        _proof(project, "lint_output", 2, 1, "<script>alert('x')</script> E501"),
        _proof(project, "test_output", 3, 0, PASSING_TESTS),
        _proof(project, "security_output", 4, 1, "PASS cors: none\nFAIL logs: leaked: password"),
    ]
    _gate(project, "record", *map(str, proofs))
    (project / ".truth/coverage.json").write_text(
        json.dumps(
            {
                "totals": {"percent_covered": 91.0},
                "files": {
                    "src/main.py": {
                        "summary": {
                            "num_statements": 10,
                            "missing_lines": 1,
                            "percent_covered": 90.0,
                        }
                    }
                },
            }
        )
    )
    assert _gate(project, "report").returncode == 0
    page = (project / ".truth/report.html").read_text()
    assert "<h1>Gate G5: <span class=fail>cannot approve</span></h1>" in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<a href='proofs/G5/test_output-3.txt'>test_output-3</a>" in page
    assert "<td>logs</td><td class=fail>FAIL</td><td>leaked: password</td>" in page
    assert "<td>src/main.py</td><td>10</td><td>1</td><td>90%" in page


FAILING_CONTRACT = """\
=================================== FAILURES ===================================
____________ test_the_app_keeps_the_contract[GET /auth/me] _____________
+ Exception Group Traceback (most recent call last):
  | schemathesis.core.failures.FailureGroup: Schemathesis found 1 distinct failure
  |
  | - ST103 Undocumented status code
  |
  |     Received: 418
  |     Documented: 200, 401
  |
  | Reproduce with:
  |
  |     curl -X GET -H 'Authorization: [Filtered]' http://testserver/api/v1/auth/me
  |
____________ test_the_app_keeps_the_contract[POST /tasks/<x>] _____________
  | - ST101 Server error
  | - ST103 Undocumented status code
  |     curl -X POST http://testserver/api/v1/tasks/<x>
FAILED tests/test_contract.py::test_the_app_keeps_the_contract
1 failed, 20 passed in 9.10s
"""


def test_the_html_report_names_each_contract_failure_and_its_request(project: Path) -> None:
    proofs = [
        _proof(project, "contract_output", 1, 1, FAILING_CONTRACT),
        _proof(project, "test_output", 2, 1, FAILING_CONTRACT),
    ]
    _gate(project, "record", *map(str, proofs))
    truth = json.loads((project / ".truth/truth.json").read_text())
    summaries = {a["proof_type"]: a["content_summary"] for a in truth["proof_artifacts"]}
    assert summaries["contract_output"] == "20 passed, 1 failed"
    assert _gate(project, "report").returncode == 0
    page = (project / ".truth/report.html").read_text()
    assert (
        "<tr><td>GET /auth/me</td><td>ST103 Undocumented status code</td><td><code>"
        "curl -X GET -H &#x27;Authorization: [Filtered]&#x27; "
        "http://testserver/api/v1/auth/me</code></td></tr>"
    ) in page
    assert "<td>POST /tasks/&lt;x&gt;</td><td>ST101 Server error<br>ST103" in page
