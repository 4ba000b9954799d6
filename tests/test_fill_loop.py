"""The self-healing loop on the bundled example: insertion that changes nothing else,
a retry that fixes what mypy reported, an escalation after three failures, and unsafe
proposals rejected without a retry."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from generators import ir
from generators.fill.auth import AuthFiller
from generators.fill.crud import CrudFiller
from generators.fill.insert import RejectedEdit, insert_body
from generators.fill.llm import LlmFiller, build_prompt, estimate_tokens, extract_body
from generators.fill.loop import Outcome, fill, unfilled_tasks
from generators.fill.providers import OpenAIProvider, ReplayProvider
from generators.fill.task import Attempt, Decline, FillTask, Proposal
from generators.generate import generate
from generators.loading.project import load_project
from tests.fake_llm import fake_llm_server
from tests.helpers import EXAMPLE_API, EXAMPLE_DB, lay_out_template

pytestmark = pytest.mark.xdist_group("fill-loop")  # one generated project, one worker

NOT_FOUND = "from src.core.errors import ApiError\n\nraise ApiError(404, 'no such project')\n"
WRONG_TYPE = "return 42\n"


class Only:
    """Lets ``filler`` answer for one function only."""

    deterministic = False

    def __init__(self, function: str, filler: LlmFiller) -> None:
        self.function, self.filler, self.name = function, filler, filler.name

    def propose(self, task: FillTask, attempts: Sequence[Attempt]) -> Proposal | Decline:
        if task.function != self.function:
            return Decline(f"this test fills {self.function} only")
        return self.filler.propose(task, attempts)


class Just:
    """Lets a deterministic ``filler`` answer for one function only."""

    def __init__(self, function: str, filler: AuthFiller | CrudFiller) -> None:
        self.function, self.filler, self.name = function, filler, filler.name
        self.deterministic = filler.deterministic

    def propose(self, task: FillTask, attempts: Sequence[Attempt]) -> Proposal | Decline:
        if task.function != self.function:
            return Decline(f"this test fills {self.function} only")
        return self.filler.propose(task, attempts)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ir.Project, Path]]:
    root = tmp_path_factory.mktemp("fill") / "project"
    lay_out_template(root)
    shutil.copy(EXAMPLE_API, root / "specs/openapi.yaml")
    shutil.copy(EXAMPLE_DB, root / "specs/database-schema.json")
    generate(root / "specs/openapi.yaml", root / "specs/database-schema.json", root)
    project, _ = load_project(root / "specs/openapi.yaml", root / "specs/database-schema.json")
    yield project, root


@pytest.fixture
def project(example: tuple[ir.Project, Path]) -> Iterator[tuple[ir.Project, Path]]:
    """The example, its service modules and .truth restored after each test."""
    _, root = example
    saved = {p: p.read_text() for p in (root / "src/services").glob("*.py")}
    yield example
    for path, text in saved.items():
        path.write_text(text)
    shutil.rmtree(root / ".truth", ignore_errors=True)


def _run(
    project: tuple[ir.Project, Path], answers: Sequence[str]
) -> tuple[ReplayProvider, list[Outcome]]:
    """The loop with a replay of ``answers`` filling ``get_project`` alone."""
    api_project, root = project
    provider = ReplayProvider(answers)
    outcomes = fill(api_project, root, [Only("get_project", LlmFiller(provider))])
    return provider, [o for o in outcomes if o.function == "get_project"]


def test_a_failed_attempt_is_fixed_from_the_errors(project: tuple[ir.Project, Path]) -> None:
    _, root = project
    before = (root / "src/services/projects.py").read_text()
    provider, [outcome] = _run(project, [WRONG_TYPE, f"```python\n{NOT_FOUND}```"])
    assert outcome.final_status == "success" and outcome.filler == "llm:replay"
    assert [(a.attempt, a.status, a.error_type) for a in outcome.attempts] == [
        (1, "failed", "mypy"),
        (2, "passed", "none"),
    ]
    assert "Incompatible return value type" in outcome.attempts[0].error_summary
    assert "Incompatible return value type" in provider.prompts[1]  # the errors went back
    after = (root / "src/services/projects.py").read_text()
    assert 'raise ApiError(404, "no such project")' in after  # formatted as ruff does
    assert after.replace(after[after.index("def get_project") :], "") == before.replace(
        before[before.index("def get_project") :], ""
    )  # nothing before the function changed
    log = json.loads((root / ".truth/self_healing_log.json").read_text())
    logged = [o for o in log[-1]["operations"] if o["function"] == "get_project"]
    assert logged[0]["final_status"] == "success"
    assert {
        "attempt",
        "status",
        "command",
        "exit_code",
        "error_type",
        "error_summary",
        "fix_applied",
        "duration_ms",
    } <= set(logged[0]["attempts"][0])


def test_a_body_must_keep_the_contract(project: tuple[ir.Project, Path]) -> None:
    """ruff, mypy and the route tests take a body answering 418; the contract test sends it
    requests made from the contract and refuses the undocumented status."""
    api_project, _ = project
    teapot = "from src.core.errors import ApiError\n\nraise ApiError(418, 'I am a teapot')\n"
    refused = "from src.core.errors import ApiError\n\nraise ApiError(401, 'Log in again.')\n"
    provider = ReplayProvider([teapot, refused])
    outcomes = fill(api_project, project[1], [Only("refresh_token", LlmFiller(provider))])
    [outcome] = [o for o in outcomes if o.function == "refresh_token"]
    assert [(a.status, a.error_type) for a in outcome.attempts] == [
        ("failed", "contract"),
        ("passed", "none"),
    ]
    assert "Undocumented status code" in provider.prompts[1]  # schemathesis's words went back
    assert "CONTRACT_OPERATIONS='POST /auth/refresh' -m pytest" in outcome.attempts[1].command


def test_three_failures_escalate_and_leave_the_stub(project: tuple[ir.Project, Path]) -> None:
    _, root = project
    before = (root / "src/services/projects.py").read_text()
    _, [outcome] = _run(project, [WRONG_TYPE] * 3)
    assert outcome.final_status == "failed"
    assert [a.status for a in outcome.attempts] == ["failed"] * 3
    assert (root / "src/services/projects.py").read_text() == before
    report = (root / ".truth/escalations/getProject.md").read_text()
    assert "| 3 | mypy |" in report and "**Options:**" in report


def test_an_escalation_says_why_the_fillers_before_declined(
    project: tuple[ir.Project, Path],
) -> None:
    """The deterministic fillers decline archiveProject, the LLM fails it three times: the
    escalation report and the log say why each filler before it declined, and what hint
    would let it."""
    api_project, root = project
    llm = Only("archive_project", LlmFiller(ReplayProvider([WRONG_TYPE] * 3)))
    fillers = [Just("archive_project", AuthFiller()), Just("archive_project", CrudFiller()), llm]
    [outcome] = [o for o in fill(api_project, root, fillers) if o.function == "archive_project"]
    assert outcome.final_status == "failed" and outcome.filler == "llm:replay"
    assert [d.filler for d in outcome.declines] == ["auth", "crud"]
    report = (root / ".truth/escalations/archiveProject.md").read_text()
    assert (
        "- `crud`: path `/projects/{projectId}/archive` maps to no table: its last collection "
        "segment `archive` names none of the database contract (hint: `x-crud: {table: <model>"
    ) in report
    assert "- `auth`: not an authentication step: neither the operationId `archiveProject`" in (
        report
    )
    assert "| 3 | mypy |" in report
    log = json.loads((root / ".truth/self_healing_log.json").read_text())
    [logged] = [o for o in log[-1]["operations"] if o["function"] == "archive_project"]
    assert [d["filler"] for d in logged["declines"]] == ["auth", "crud"]
    assert "segment `archive`" in logged["declines"][1]["reason"]
    assert "x-crud" in logged["declines"][1]["hint"]
    assert logged["filler"] == "llm:replay" and len(logged["attempts"]) == 3


def test_unsafe_proposals_are_rejected_without_retry(project: tuple[ir.Project, Path]) -> None:
    _, root = project
    unsafe = (
        "from sqlalchemy import text\n"
        'session.execute(text(f"SELECT * FROM p WHERE id={project_id}"))\n'
    )
    provider, [outcome] = _run(project, [unsafe, NOT_FOUND])
    assert outcome.final_status == "escalation" and len(provider.prompts) == 1
    assert outcome.attempts[0].error_summary == "builds SQL text from strings"
    assert (root / ".truth/escalations/getProject.md").is_file()


def test_unfilled_tasks_and_prompt(project: tuple[ir.Project, Path]) -> None:
    api_project, root = project
    tasks = unfilled_tasks(api_project, root)
    assert len(tasks) == 21
    task = next(t for t in tasks if t.function == "get_project")
    prompt = build_prompt(task, [])
    assert '"operationId": "getProject"' in prompt and "ProjectResponse" in prompt
    assert "class Project(" in prompt  # the ORM model it touches
    assert estimate_tokens(prompt) == len(prompt) // 4
    print(f"\nprompt for getProject: {estimate_tokens(prompt)} tokens (estimated)")


def test_insertion_refuses_edits_beyond_the_body(project: tuple[ir.Project, Path]) -> None:
    _, root = project
    text = (root / "src/services/projects.py").read_text()
    with pytest.raises(RejectedEdit, match="not valid Python"):
        insert_body(text, "get_project", Proposal("return (("), root, "src/services/projects.py")
    with pytest.raises(RejectedEdit, match="no function"):
        insert_body(text, "nope", Proposal("return None"), root, "src/services/projects.py")
    with pytest.raises(RejectedEdit, match="would rebind"):
        insert_body(
            text,
            "get_project",
            Proposal("pass", (("os", "Session"),)),
            root,
            "src/services/projects.py",
        )


@pytest.mark.parametrize(
    ("answer", "body"),
    [
        ("```python\nreturn 1\n```", "return 1"),
        ("Here:\n```py\n    x = 1\n    return x\n```\nDone.", "x = 1\nreturn x"),
        ('def f() -> int:\n    """Doc."""\n    return 1\n', "return 1"),
        ("return 2", "return 2"),
    ],
)
def test_extract_body(answer: str, body: str) -> None:
    assert extract_body(answer) == body


def test_the_openai_provider_fills_through_the_loop(project: tuple[ir.Project, Path]) -> None:
    """The real SDK, a local OpenAI-compatible server: the body lands and passes."""
    api_project, root = project
    with fake_llm_server(reply=lambda prompt: f"```python\n{NOT_FOUND}```") as server:
        filler = LlmFiller(OpenAIProvider(model="local-model", base_url=server.openai_url))
        outcomes = fill(api_project, root, [Only("get_project", filler)])
    [outcome] = [o for o in outcomes if o.function == "get_project"]
    assert outcome.final_status == "success" and outcome.filler == "llm:openai:local-model"
    [request] = server.requests
    assert request.body["model"] == "local-model"
    assert "getProject" in request.body["messages"][0]["content"]
    assert (
        'raise ApiError(404, "no such project")' in (root / "src/services/projects.py").read_text()
    )


def test_fill_command_reports_what_is_left(tmp_path: Path) -> None:
    """``specfoundry fill`` on an API-only project (no table for the CRUD filler, no LLM
    configured): nothing is written, everything is listed as left, the log records it."""
    root = tmp_path / "project"
    lay_out_template(root)
    shutil.copy(
        Path(__file__).parent / "contracts/inline-schemas.yaml", root / "specs/openapi.yaml"
    )
    (root / "specs/database-schema.json").unlink(missing_ok=True)
    generate(root / "specs/openapi.yaml", None, root)
    result = subprocess.run(
        [sys.executable, "-m", "generators", "fill", "--out", str(root)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert result.returncode == 0, result.stdout + result.stderr  # nothing failed
    assert "unhandled  listNotes" in result.stdout and "unhandled  createNote" in result.stdout
    assert "0 of 2 unfilled bodies written (0 deterministically)" in result.stdout
    assert "left for a person or an LLM: listNotes, createNote" in result.stdout
    status = subprocess.run(
        [sys.executable, "-m", "generators", "status", "--out", "."],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert status.returncode == 1, status.stdout  # but they are still unfilled
    log = json.loads((root / ".truth/self_healing_log.json").read_text())
    assert [o["final_status"] for o in log[-1]["operations"]] == ["unhandled", "unhandled"]
    # each filler said why, on screen, in the log, and again in `status`
    assert "auth declined: not an authentication step: neither the operationId `listNotes`" in (
        result.stdout
    )
    assert result.stdout.count("crud declined: no database contract") == 2, result.stdout
    assert "(hint: give the project a database contract (specs/database-schema.json))" in (
        result.stdout
    )
    for operation in log[-1]["operations"]:
        assert [d["filler"] for d in operation["declines"]] == ["auth", "crud"], operation
        crud = operation["declines"][1]
        assert crud["reason"].startswith("no database contract") and crud["hint"], operation
    assert status.stdout.count("last fill: crud declined: no database contract") == 2, status.stdout


def test_a_failing_provider_fails_its_task_only(project: tuple[ir.Project, Path]) -> None:
    """A provider error (here: a replay with no answers left) is logged and escalated;
    the stub stays, and fill goes on with the other tasks."""
    _, root = project
    before = (root / "src/services/projects.py").read_text()
    provider, [outcome] = _run(project, [])
    assert outcome.final_status == "failed"
    assert [(a.status, a.error_type) for a in outcome.attempts] == [("failed", "filler")]
    assert "ProviderError" in outcome.attempts[0].error_summary
    assert (root / "src/services/projects.py").read_text() == before
    assert (root / ".truth/escalations/getProject.md").is_file()


class Fixed:
    """A deterministic filler: one fixed body per function it knows."""

    name = "fixed"
    deterministic = True

    def __init__(self, bodies: dict[str, str]) -> None:
        self.bodies = bodies

    def propose(self, task: FillTask, attempts: Sequence[Attempt]) -> Proposal | Decline:
        if attempts or task.function not in self.bodies:
            return Decline(f"no fixed body for {task.function}")
        return Proposal(body=self.bodies[task.function], note="fixed")


def test_deterministic_bodies_are_checked_in_one_round(project: tuple[ir.Project, Path]) -> None:
    api_project, root = project
    filler = Fixed({"get_project": NOT_FOUND, "get_task": NOT_FOUND})
    outcomes = [o for o in fill(api_project, root, [filler]) if o.filler]
    assert [(o.function, o.final_status) for o in outcomes] == [
        ("get_project", "success"),
        ("get_task", "success"),
    ]
    for outcome in outcomes:  # one shared run of each check, over both modules
        assert "mypy --strict src/services/projects.py src/services/tasks.py" in (
            outcome.attempts[0].command
        )


def test_a_failing_round_goes_one_by_one(project: tuple[ir.Project, Path]) -> None:
    """One bad body fails the shared round: each body is then checked alone, so the good
    one lands and the bad one is escalated, named."""
    api_project, root = project
    tasks_before = (root / "src/services/tasks.py").read_text()
    filler = Fixed({"get_project": NOT_FOUND, "get_task": WRONG_TYPE})
    outcomes = {o.function: o for o in fill(api_project, root, [filler]) if o.filler}
    assert outcomes["get_project"].final_status == "success"
    assert outcomes["get_project"].attempts[0].command.count("src/services/") == 2  # ruff, mypy
    assert outcomes["get_task"].final_status == "failed"
    assert outcomes["get_task"].attempts[0].error_type == "mypy"
    assert (root / "src/services/tasks.py").read_text() == tasks_before
    assert (root / ".truth/escalations/getTask.md").is_file()
