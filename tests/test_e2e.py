"""End to end: ``copier copy`` a project, then run the generated project's own gate."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml

from generators import __version__
from tests.helpers import EXAMPLE_API, GIT_IDENTITY, ROOT, copy_working_tree, shared_file

EXAMPLE_ANSWERS = EXAMPLE_API.parent / "llm-answers.json"  # the two business actions

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


PROOF_HEAD = r"Command: .+\nExit Code: \d+\nTimestamp: \d{4}-\d\d-\d\dT[\d:]+Z\n\n=== STDOUT ===\n"
STEPS = (
    "generation_output",
    "build_output",
    "lint_output",
    "typecheck_output",
    "spec_output",
    "contract_output",
    "migration_output",
    "test_output",
    "coverage_report",
    "security_output",
)


def steps_of(result: subprocess.CompletedProcess[str]) -> dict[str, str]:
    """The summary table of ``verify``: step → PASS or FAIL."""
    found = re.findall(r"^(\w+_(?:output|report))\s+(PASS|FAIL)", result.stdout, re.MULTILINE)
    return dict(found)


def gate_status(project: Path) -> dict[str, Any]:
    status: dict[str, Any] = json.loads((project / ".truth/gate_status.json").read_text())
    return status


@pytest.mark.xdist_group("example")
def test_the_unfilled_example_fails_only_on_its_unwritten_bodies(tmp_path: Path) -> None:
    project = tmp_path / "demo-api"
    copied = copy(project)
    assert copied.returncode == 0, copied.stderr
    assert (project / "specs/openapi.yaml").read_text() == EXAMPLE_API.read_text()
    answers = (project / ".copier-answers.yml").read_text()
    assert f"_src_path: {ROOT}" in answers
    assert "erDiagram" in (project / "docs/database.md").read_text()

    result = verify(project)
    assert result.returncode != 0
    steps = steps_of(result)
    assert set(steps) == set(STEPS), result.stdout[-3000:]
    failed = {step for step, outcome in steps.items() if outcome == "FAIL"}
    assert failed == {"security_output"}, result.stdout[-3000:] + result.stderr[-3000:]
    for step in STEPS:
        assert re.match(PROOF_HEAD, latest_proof(project, step)), step
        assert "\n=== STDERR ===\n" in latest_proof(project, step)
    assert "[1/10] generation_output" in result.stderr
    assert "[10/10] security_output" in result.stderr
    assert "5/5 compliance rules kept" in latest_proof(project, "spec_output")
    security = latest_proof(project, "security_output")
    assert "FAIL unfilled: unfilled: auth.register" in security
    assert "PASS anonymous: 18 protected, all 401" in security
    truth = json.loads((project / ".truth/truth.json").read_text())
    assert {a["proof_type"] for a in truth["proof_artifacts"]} == set(STEPS)
    page = (project / ".truth/report.html").read_text()
    assert "cannot approve" in page and "<h2>Coverage by module</h2>" in page
    status = gate_status(project)
    assert status["can_approve"] is False and status["failed"] == ["security_output"]
    assert "0001_initial.py" in {p.name for p in (project / "alembic/versions").iterdir()}

    # Where the template checkout is gone, generate-check fails and says so.
    answers_file = project / ".copier-answers.yml"
    answers_file.write_text(answers.replace(f"_src_path: {ROOT}", "_src_path: /gone/spec-foundry"))
    command = [sys.executable, "-m", "nox", "-s", "generate-check"]
    checked = subprocess.run(command, cwd=project, capture_output=True, text=True)
    assert checked.returncode != 0
    gone = "The Spec Foundry template this project was made from is gone: /gone/spec-foundry"
    assert gone in latest_proof(project, "generation_output")
    answers_file.write_text(answers)

    # Breaking API changes accepted by `generate --accept-breaking` reach the handoff.
    accepted = [{"where": "GET /users", "what": "operation removed"}]
    (project / ".truth/breaking_changes.json").write_text(json.dumps(accepted))
    python = project / ".nox/verify/bin/python"
    subprocess.run([python, "-m", "tools.gate", "handoff"], cwd=project, check=True)
    handoff = json.loads((project / ".truth/handoff.json").read_text())
    assert handoff["breaking_changes"] == accepted
    assert (
        "breaking API change: GET /users: operation removed" in handoff["next_agent"]["must_know"]
    )

    # A checkpoint runs its sub-gate's steps alone and reports on them.
    command = [sys.executable, "-m", "nox", "-s", "checkpoint", "--", "G5.1"]
    checked = subprocess.run(command, cwd=project, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout[-2000:] + checked.stderr[-2000:]
    report = (project / ".truth/checkpoints/G5.1.md").read_text()
    assert report.startswith("# Checkpoint G5.1: Schema, config and types — PASS")


def _fill(project: Path, *args: str) -> str:
    command = [sys.executable, "-m", "nox", "-s", "fill", "--", *args]
    env = {**os.environ, "COLUMNS": "200"}
    done = subprocess.run(command, cwd=project, capture_output=True, text=True, env=env)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    return output


@pytest.mark.xdist_group("filled")
def test_the_filled_example_passes_its_gate_and_each_break_fails_it(tmp_path: Path) -> None:
    """``nox -s fill -- --no-llm`` writes the 19 auth and CRUD bodies and lists the two
    business actions; a replayed LLM writes those; the project passes ``verify``. Then
    it is broken twelve ways, and each time ``verify`` fails on the step that checks it."""
    project = tmp_path / "filled-api"
    copied = copy(project)
    assert copied.returncode == 0, copied.stderr
    stubs = (project / "src/services/tasks.py").read_text()

    output = _fill(project, "--no-llm")
    assert "19 of 21 unfilled bodies written (19 deterministically)" in output, output[-3000:]
    assert "left for a person or an LLM: archiveProject, assignTask" in output
    shutil.copy(EXAMPLE_ANSWERS, project / "llm-answers.json")
    with (project / "pyproject.toml").open("a") as pyproject:
        pyproject.write(
            '\n[tool.specfoundry.llm]\nprovider = "replay"\nfile = "llm-answers.json"\n'
        )
    output = _fill(project)
    assert "2 of 2 unfilled bodies written (0 deterministically)" in output, output[-3000:]

    passed = verify(project)
    assert passed.returncode == 0, passed.stdout[-3000:] + passed.stderr[-3000:]
    assert set(steps_of(passed).values()) == {"PASS"}
    assert gate_status(project)["can_approve"] is True
    recorded = json.loads((project / ".truth/truth.json").read_text())["proof_artifacts"]
    tests = next(a for a in recorded if a["proof_type"] == "test_output")["content_summary"]
    assert re.fullmatch(r"\d+ passed, 0 failed, coverage \d+%", tests), tests
    handoff = json.loads((project / ".truth/handoff.json").read_text())
    delivered = handoff["deliverables"]
    assert (delivered["endpoints"], delivered["tables"], delivered["migrations"]) == (21, 6, 1)
    assert delivered["service_bodies_unfilled"] == []
    assert handoff["handoff"]["status"] == "ready"
    assert [len(run["operations"]) for run in handoff["self_healing_log"]] == [21, 2]
    assert handoff["api"] == {
        "base_url": "/api/v1",
        "openapi": "specs/openapi.yaml (served at /openapi.json)",
        "auth": {"bearerAuth": "http bearer JWT"},
    }

    def broken(changes: dict[str, str], failing: set[str]) -> str:
        """Apply ``changes`` (path → new text), verify, check, undo; the security proof."""
        saved = {
            path: (project / path).read_text() if (project / path).exists() else None
            for path in changes
        }
        for path, text in changes.items():
            (project / path).write_text(text)
        result = verify(project)
        for path, before in saved.items():
            if before is None:
                (project / path).unlink()
            else:
                (project / path).write_text(before)
        assert result.returncode != 0, result.stdout[-2000:]
        failed = {step for step, outcome in steps_of(result).items() if outcome == "FAIL"}
        assert failed == failing, result.stdout[-3000:]
        status = gate_status(project)
        assert status["can_approve"] is False and set(status["failed"]) == failing, status
        return latest_proof(project, "security_output")

    tasks, comment = "src/services/tasks.py", "src/models/comment.py"
    users, auth = "src/api/v1/users.py", "src/services/auth.py"

    def edited(path: str, old: str, new: str) -> str:
        text = (project / path).read_text()
        assert old in text, (path, old)
        return text.replace(old, new, 1)

    # 1-4: a lint error, a type error, a failing test, a model no migration describes.
    broken(
        {
            tasks: (project / tasks).read_text() + "\nimport os\n",
            "src/services/users.py": (project / "src/services/users.py").read_text()
            + '\n\ndef _broken() -> int:\n    return "not an int"\n',
            "tests/test_broken.py": "def test_broken() -> None:\n    assert 1 == 2\n",
            comment: edited(comment, 'Index("ix_comments_author_id", "author_id"),', ""),
        },
        # the model is the generator's: generate --check names it
        {
            "generation_output",
            "lint_output",
            "typecheck_output",
            "test_output",
            "migration_output",
        },
    )
    # 5-6: format drift, and a route that no longer serves the contract (deprecated),
    # edited by hand in a router the generator owns.
    broken(
        {
            "src/drift.py": "NAME = 'single quotes'\n",
            users: edited(
                users,
                'operation_id="listUsers",',
                'operation_id="listUsers",\n    deprecated=True,',
            ),
        },
        {"generation_output", "lint_output", "spec_output"},
    )
    # 7: a protected route left open (the contract and its tests see it too).
    opened = edited(users, "Depends(require_bearer_auth_as_admin)", "Depends(anyone)")
    anyone = 'def anyone() -> Principal:\n    return Principal(subject="anyone")\n\n\n'
    opened = opened.replace("router = OperationRouter(", anyone + "router = OperationRouter(")
    # Its security import left unused: lint fails as well.
    # schemathesis's ignored-auth check sees it too.
    failing = {"lint_output", "spec_output", "contract_output", "test_output", "security_output"}
    failing.add("generation_output")  # the router is the generator's
    security = broken({users: opened}, failing)
    assert "FAIL anonymous: GET /users answered" in security
    # 8: a password logged.
    logged = edited(
        auth,
        "    password = body.password.get_secret_value()\n",
        "    password = body.password.get_secret_value()\n"
        '    logging.getLogger(__name__).info("login %s with %s", body.email, password)\n',
    )
    logged = logged.replace("from datetime import", "import logging\nfrom datetime import", 1)
    # 9: and the rate limiter switched off (the security proof names each check).
    limiter = "src/core/rate_limit.py"
    first = "    limiter: Limiter = request.app.state.rate_limiter\n"
    off = edited(limiter, first, "    return None  # switched off\n" + first)
    security = broken({auth: logged, limiter: off}, {"security_output"})
    assert "FAIL logs:" in security and "leaked: password" in security
    assert "FAIL rate-limit: POST /auth/login: call 11 answered 4" in security
    # 10: a body left unwritten.
    security = broken({tasks: stubs}, {"security_output"})
    assert "FAIL unfilled: unfilled: tasks.list_project_tasks" in security
    # 11: code no test runs, which takes coverage under 80%.
    untested = "".join(f"\n\ndef f{n}(x: int) -> int:\n    return x + {n}\n" for n in range(400))
    broken({"src/untested.py": '"""Untested."""\n' + untested}, {"test_output", "coverage_report"})
    # The floor is of both test runs' coverage, combined by the test step.
    coverage = latest_proof(project, "test_output")
    assert "$ coverage combine --keep .coverage.tests .coverage.contract" in coverage
    assert "Coverage failure: total of" in coverage and "less than fail-under=80" in coverage
    # 12: an answer the contract does not document (the contract test sends the request).
    teapot = edited(
        auth,
        '    """getCurrentUser — GET /auth/me: Get the authenticated user."""\n',
        '    """getCurrentUser — GET /auth/me: Get the authenticated user."""\n'
        '    raise ApiError(418, "I am a teapot.")\n',
    )
    # schemathesis runs once, in contract_output: the test step runs every other test.
    broken({auth: teapot}, {"contract_output"})
    contract = latest_proof(project, "contract_output")
    assert "Undocumented status code" in contract and "/api/v1/auth/me" in contract


@pytest.mark.xdist_group("petstore")
def test_api_only_public_spec_passes_its_gate(tmp_path: Path) -> None:
    spec = shared_file("specs", "swagger-petstore-v3.yaml")
    project = tmp_path / "petstore"
    copied = copy(project, f"openapi_spec={spec}", "database_schema=")
    assert copied.returncode == 0, copied.stderr
    assert not (project / "specs/database-schema.json").exists()
    result = verify(project)
    steps = steps_of(result)
    failed = {step for step, outcome in steps.items() if outcome == "FAIL"}
    assert set(steps) == set(STEPS), result.stdout[-3000:] + result.stderr[-3000:]
    assert failed == {"security_output"}, result.stdout[-3000:] + result.stderr[-3000:]
    security = latest_proof(project, "security_output")
    assert "FAIL unfilled: unfilled: pet.update_pet, pet.add_pet" in security  # no database
    report = json.loads((project / ".truth/spec_fidelity.json").read_text())
    assert report["differences"] == [] and report["equivalent"] == report["operations"] == 19


def test_invalid_contract_stops_the_copy_and_leaves_nothing(tmp_path: Path) -> None:
    broken = tmp_path / "openapi.yaml"
    broken.write_text(EXAMPLE_API.read_text().replace("openapi: 3.1.0", "openapi: 2.0", 1))
    project = tmp_path / "never"
    copied = copy(project, f"openapi_spec={broken}")
    assert copied.returncode != 0
    assert f"{broken}" in copied.stderr and "/openapi" in copied.stderr
    assert "expected OpenAPI 3.0.x, 3.1.x or 3.2.x" in copied.stderr
    assert not project.exists()


def git(*args: str | Path, cwd: Path) -> str:
    env = {**os.environ, **GIT_IDENTITY}
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"git {args}: {done.stderr}"
    return done.stdout.strip()


@contextmanager
def git_daemon(repository: Path, log: Path) -> Iterator[str]:
    """``git daemon`` serving the bare ``repository`` (and its siblings) on a free
    loopback port: its URL, ``git://127.0.0.1:PORT/NAME``."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = ["git", "daemon", "--export-all", "--reuseaddr", f"--base-path={repository.parent}"]
    command += ["--listen=127.0.0.1", f"--port={port}"]
    with log.open("w") as output:
        daemon = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    url = f"git://127.0.0.1:{port}/{repository.name}"
    try:
        for _ in range(100):  # up to 10 s
            listed = subprocess.run(["git", "ls-remote", url], capture_output=True, check=False)
            if listed.returncode == 0 or daemon.poll() is not None:
                break
            time.sleep(0.1)
        assert daemon.poll() is None, log.read_text()
        yield url
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)


@pytest.mark.xdist_group("remote")
def test_a_project_copied_from_a_git_url_passes_its_gate_in_a_teammates_clone(
    tmp_path: Path,
) -> None:
    """This checkout, released as v<version> and served by ``git daemon`` on loopback
    alone, is copied from its git:// URL; the project is committed and cloned to another
    path, the copy deleted. There, ``fill`` and ``verify`` install the pinned generator
    from the URL at the commit ``.copier-answers.yml`` records: every step passes."""
    release = copy_working_tree(tmp_path / "release")
    git("init", "-q", "-b", "main", cwd=release)
    git("add", "-A", cwd=release)
    git("commit", "-q", "--no-verify", "-m", f"Spec Foundry {__version__}", cwd=release)
    git("tag", f"v{__version__}", cwd=release)
    released = git("rev-parse", "HEAD", cwd=release)
    served = tmp_path / "served/spec-foundry.git"
    git("clone", "-q", "--bare", release, served, cwd=tmp_path)
    shutil.rmtree(release)  # the URL is the only way to it

    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env |= GIT_IDENTITY | {"COPIER_CACHE_DIR": str(tmp_path / "copier-cache")}

    def run(*command: str | Path, cwd: Path) -> str:
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
        output = done.stdout + done.stderr
        assert done.returncode == 0, f"{command}\n{output[-4000:]}"
        return output

    with git_daemon(served, tmp_path / "daemon.log") as url:
        made = tmp_path / "made"
        copier = [sys.executable, "-m", "copier", "copy", "--trust", "--defaults"]
        run(*copier, url, made, cwd=tmp_path)
        answers = yaml.safe_load((made / ".copier-answers.yml").read_text())
        assert (answers["_src_path"], answers["_commit"]) == (url, f"v{__version__}")
        git("init", "-q", "-b", "main", cwd=made)
        git("add", "-A", cwd=made)
        git("commit", "-q", "--no-verify", "-m", "taskboard", cwd=made)
        project = tmp_path / "teammate" / "taskboard"
        git("clone", "-q", made, project, cwd=tmp_path)
        shutil.rmtree(made)

        shutil.copy(EXAMPLE_ANSWERS, project / "llm-answers.json")
        with (project / "pyproject.toml").open("a") as pyproject:
            pyproject.write(
                '\n[tool.specfoundry.llm]\nprovider = "replay"\nfile = "llm-answers.json"\n'
            )
        filled = run(sys.executable, "-m", "nox", "-s", "fill", cwd=project)
        assert f"git --git-dir .nox/specfoundry.git fetch --quiet --tags {url}" in filled
        assert "21 of 21 unfilled bodies written" in filled, filled[-3000:]
        passed = subprocess.run(
            [sys.executable, "-m", "nox", "-s", "verify"],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
        )

    assert passed.returncode == 0, passed.stdout[-3000:] + passed.stderr[-3000:]
    steps = steps_of(passed)
    assert list(steps) == list(STEPS) and set(steps.values()) == {"PASS"}, passed.stdout[-3000:]
    assert gate_status(project)["can_approve"] is True
    # The gate's generator is the released commit, installed from the fetched repository.
    installed = next((project / ".nox/verify").glob("lib/python*/site-packages/specfoundry-*"))
    origin = json.loads((installed / "direct_url.json").read_text())
    assert origin["vcs_info"]["commit_id"] == released
    assert origin["url"] == (project / ".nox/specfoundry.git").as_uri()
