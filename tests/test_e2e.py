"""End to end: ``copier copy`` a project, then run the generated project's own gate."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import EXAMPLE_API, ROOT, shared_file

pytestmark = pytest.mark.e2e


def copy(destination: Path, *data: str) -> subprocess.CompletedProcess[str]:
    """``copier copy --trust`` of this checkout (its working tree, not its latest tag)."""
    command = [sys.executable, "-m", "copier", "copy", "--trust", "--defaults", "--vcs-ref", "HEAD"]
    for item in data:
        command += ["--data", item]
    command += [str(ROOT), str(destination)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False)


def verify(project: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "nox", "-s", "verify"]
    return subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)


def latest_proof(project: Path, proof_type: str) -> str:
    proofs = sorted((project / ".truth/proofs/G5").glob(f"{proof_type}-*.txt"))
    assert proofs, f"no {proof_type} proof"
    return proofs[-1].read_text()


@pytest.mark.xdist_group("example")
def test_example_project_passes_its_gate_and_the_gate_can_fail(tmp_path: Path) -> None:
    project = tmp_path / "demo-api"
    copied = copy(project)
    assert copied.returncode == 0, copied.stderr
    assert (project / "specs/openapi.yaml").read_text() == EXAMPLE_API.read_text()
    answers = (project / ".copier-answers.yml").read_text()
    assert f"_src_path: {ROOT}" in answers

    passed = verify(project)
    assert passed.returncode == 0, passed.stdout[-3000:] + passed.stderr[-3000:]
    proof_types = (
        "build_output",
        "lint_output",
        "typecheck_output",
        "spec_output",
        "migration_output",
    )
    for proof_type in (*proof_types, "test_output"):
        proof = latest_proof(project, proof_type)
        assert re.match(
            r"Command: .+\nExit Code: 0\nTimestamp: \d{4}-\d\d-\d\dT[\d:]+Z\n\n=== STDOUT ===\n",
            proof,
        ), proof[:300]
        assert "\n=== STDERR ===\n" in proof
    coverage = json.loads((project / ".truth/coverage.json").read_text())
    assert coverage["totals"]["percent_covered"] > 0
    truth = json.loads((project / ".truth/truth.json").read_text())
    recorded = {a["proof_type"]: a for a in truth["proof_artifacts"]}
    assert set(recorded) == {*proof_types, "test_output", "coverage_report"}
    assert re.fullmatch(
        r"\d+ passed, 0 failed, coverage \d+%", recorded["test_output"]["content_summary"]
    )
    status = json.loads((project / ".truth/gate_status.json").read_text())
    assert status["can_approve"] is True and status["blocking_issues"] == [], status

    assert "0001_initial.py" in {p.name for p in (project / "alembic/versions").iterdir()}

    # Break it three times over: a lint error, a model no migration describes, a failing
    # test. The gate must say so.
    service = project / "src/services/tasks.py"
    service.write_text(service.read_text() + "\nimport os\n")
    model = project / "src/models/comment.py"
    model.write_text(model.read_text().replace('Index("ix_comments_author_id", "author_id"),', ""))
    (project / "tests/test_broken.py").write_text("def test_broken() -> None:\n    assert 1 == 2\n")
    failed = verify(project)
    assert failed.returncode != 0
    assert "Exit Code: 1" in latest_proof(project, "lint_output")
    assert "Exit Code: 1" in latest_proof(project, "test_output")
    migrations = latest_proof(project, "migration_output")  # one proof of all four commands
    assert "&& alembic check &&" in migrations and "ix_comments_author_id" in migrations
    assert "Exit Code: 0" not in migrations
    assert "Exit Code: 0" in latest_proof(project, "typecheck_output")  # it kept going
    status = json.loads((project / ".truth/gate_status.json").read_text())
    assert status["can_approve"] is False
    assert {"lint_output", "test_output", "migration_output"} <= set(status["failed"])
    assert any(issue.startswith("lint_output failed") for issue in status["blocking_issues"])


@pytest.mark.xdist_group("filled")
def test_example_filled_without_an_llm_passes_its_gate(tmp_path: Path) -> None:
    """``nox -s fill -- --no-llm`` writes every auth and CRUD body of the example (19 of
    21: the two business actions are left, listed) and the filled project passes ``verify``."""
    project = tmp_path / "filled-api"
    copied = copy(project)
    assert copied.returncode == 0, copied.stderr
    command = [sys.executable, "-m", "nox", "-s", "fill", "--", "--no-llm"]
    env = {**os.environ, "COLUMNS": "200"}
    filled = subprocess.run(
        command, cwd=project, capture_output=True, text=True, check=False, env=env
    )
    output = filled.stdout + filled.stderr
    assert filled.returncode == 0, output[-3000:]
    assert "19 of 21 unfilled bodies written (19 deterministically)" in output, output[-3000:]
    assert "left for a person or an LLM: archiveProject, assignTask" in output
    log = json.loads((project / ".truth/self_healing_log.json").read_text())
    statuses = {o["operation_id"]: o["final_status"] for o in log[-1]["operations"]}
    assert sorted(op for op, status in statuses.items() if status != "success") == [
        "archiveProject",
        "assignTask",
    ]
    passed = verify(project)
    assert passed.returncode == 0, passed.stdout[-3000:] + passed.stderr[-3000:]
    handoff = json.loads((project / ".truth/handoff.json").read_text())
    delivered = handoff["deliverables"]
    assert (delivered["endpoints"], delivered["tables"], delivered["migrations"]) == (21, 6, 1)
    assert delivered["service_bodies_unfilled"] == [
        "projects.archive_project",
        "tasks.assign_task",
    ]
    assert handoff["handoff"]["status"] == "blocked"  # two bodies are still to be written
    assert len(handoff["self_healing_log"][-1]["operations"]) == 21
    assert handoff["verification"]["test_output"]["exit_code"] == 0
    assert handoff["api"] == {
        "base_url": "/api/v1",
        "openapi": "specs/openapi.yaml (served at /openapi.json)",
        "auth": {"bearerAuth": "http bearer JWT"},
    }


@pytest.mark.xdist_group("petstore")
def test_api_only_public_spec_passes_its_gate(tmp_path: Path) -> None:
    spec = shared_file("specs", "swagger-petstore-v3.yaml")
    project = tmp_path / "petstore"
    copied = copy(project, f"openapi_spec={spec}", "database_schema=")
    assert copied.returncode == 0, copied.stderr
    assert not (project / "specs/database-schema.json").exists()
    result = verify(project)
    steps = dict(re.findall(r"^(\w+_output)\s+(PASS|FAIL)", result.stdout, re.MULTILINE))
    assert set(steps.values()) == {"PASS"}, result.stdout[-3000:] + result.stderr[-3000:]
    assert "spec_output" in steps
    report = json.loads((project / ".truth/spec_fidelity.json").read_text())
    assert report["differences"] == [] and report["equivalent"] == report["operations"] == 19


def test_invalid_contract_stops_the_copy_and_leaves_nothing(tmp_path: Path) -> None:
    broken = tmp_path / "openapi.yaml"
    broken.write_text(EXAMPLE_API.read_text().replace("openapi: 3.1.0", "openapi: 2.0", 1))
    project = tmp_path / "never"
    copied = copy(project, f"openapi_spec={broken}")
    assert copied.returncode != 0
    assert f"{broken}" in copied.stderr and "/openapi" in copied.stderr
    assert "expected OpenAPI 3.0.x or 3.1.x" in copied.stderr
    assert not project.exists()
