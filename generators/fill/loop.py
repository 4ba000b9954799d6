"""The self-healing loop: every proposed body is inserted, checked, and kept only if the
checks pass; the exact errors go back to the filler, at most three attempts in all.

For each unfilled service function the fillers are asked in turn; the first that answers
owns the task, and each that declines says why (logged with the outcome, printed by
``fill``, repeated in an escalation report). An attempt runs the checks that cover the
body: ``ruff check`` on the module, ``mypy --strict`` on it (with the project's
configuration), the project's generated route tests, and the contract test (schemathesis,
tests/test_contract.py) of the body's operation alone. On failure the module is restored
and the filler gets the errors back. After the third failure the stub stays as it was and
an escalation report is written (``.truth/escalations/<operationId>.md``). A proposal that
builds SQL from strings, turns authentication off or destroys data is rejected at once and
escalated without a retry. Every attempt is logged (``.truth/self_healing_log.json``), in
the seed's shape, for the handoff.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shlex
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from generators import ir
from generators.emit.api import function_names, module_names
from generators.emit.services import module_path, raises_unfilled
from generators.fill.insert import RejectedEdit, insert_body, verify_only_body_changed
from generators.fill.task import Attempt, Decline, Filler, FillTask, Proposal

MAX_ATTEMPTS = 3
LOG = ".truth/self_healing_log.json"
ESCALATIONS = ".truth/escalations"


@dataclass(frozen=True)
class LogEntry:
    """One attempt, in the seed's ``self_healing_log`` shape."""

    attempt: int
    status: str
    """``passed``, ``failed`` or ``rejected`` (unsafe: no retry)."""
    command: str
    exit_code: int
    error_type: str
    """``none``, ``edit``, ``ruff``, ``mypy``, ``tests``, ``unsafe`` or ``filler`` (the
    filler itself failed: a provider unreachable, say; no retry)."""
    error_summary: str
    fix_applied: str
    duration_ms: int


@dataclass(frozen=True)
class Declined:
    """A filler that did not write the body, and why (its :class:`Decline`)."""

    filler: str
    reason: str
    hint: str


@dataclass
class Outcome:
    """What became of one unfilled function."""

    operation_id: str
    function: str
    module: str
    filler: str | None = None
    final_status: str = "unhandled"
    """``success``, ``failed`` (escalated), ``escalation`` (rejected as unsafe) or
    ``unhandled`` (no filler answered: left for a person, or an LLM filler)."""
    attempts: list[LogEntry] = field(default_factory=list)
    declines: list[Declined] = field(default_factory=list)
    """The fillers asked before the one that answered (all of them, where none did), each
    with its reason and hint, in the order they were asked."""


CONTRACT_TEST = "tests/test_contract.py"
CONTRACT_OPERATIONS = "CONTRACT_OPERATIONS"
"""Read by the generated contract test: ``;``-separated ``METHOD /path`` labels, the
operations to test (all when unset)."""


@dataclass(frozen=True)
class Check:
    """A command that covers a body: ``{module}`` stands for the modules' paths. A scoped
    check runs the contract test on the tasks' operations (skipped in a project without
    one)."""

    error_type: str
    command: tuple[str, ...]
    scoped: bool = False

    def argv(self, tasks: Sequence[FillTask]) -> list[str]:
        modules = sorted({task.module for task in tasks})
        return [
            given for part in self.command for given in (modules if part == "{module}" else [part])
        ]

    def env(self, tasks: Sequence[FillTask]) -> dict[str, str]:
        if not self.scoped:
            return {}
        labels = [f"{t.operation.http_method} {t.operation.path}" for t in tasks]
        return {CONTRACT_OPERATIONS: ";".join(labels)}

    def applies(self, root: Path) -> bool:
        return not self.scoped or (root / CONTRACT_TEST).is_file()

    def shown(self, tasks: Sequence[FillTask]) -> str:
        """The command as the log shows it, its environment first."""
        settings = [f"{key}={shlex.quote(value)}" for key, value in self.env(tasks).items()]
        return " ".join([*settings, *self.argv(tasks)[1:]])


CHECKS = (
    Check("ruff", (sys.executable, "-m", "ruff", "check", "--no-cache", "{module}")),
    Check("mypy", (sys.executable, "-m", "mypy", "--strict", "{module}")),
    Check("tests", (sys.executable, "-m", "pytest", "-q", "-x", "tests/test_routes_generated.py")),
    # The body keeps the contract: schemathesis sends it requests made from specs/openapi.yaml.
    Check(
        "contract",
        (sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", CONTRACT_TEST),
        scoped=True,
    ),
)


def unfilled_tasks(project: ir.Project, root: Path) -> list[FillTask]:
    """The service functions whose body still raises ``ServiceNotImplementedError``."""
    modules, functions = module_names(project.api), function_names(project.api)
    tasks = []
    for operation in project.api.operations:
        path = module_path(modules[operation.tag])
        target = root / path
        if not target.is_file():
            continue
        text = target.read_text(encoding="utf-8")
        name = functions[operation.operation_id]
        for node in ast.parse(text).body:
            if isinstance(node, ast.FunctionDef) and node.name == name and raises_unfilled(node):
                source = ast.get_source_segment(text, node) or ""
                tasks.append(FillTask(project, operation, path, name, source, root))
    return tasks


def fill(
    project: ir.Project,
    root: Path,
    fillers: Sequence[Filler],
    checks: Sequence[Check] = CHECKS,
    progress: Callable[[Outcome], None] = lambda outcome: None,
) -> list[Outcome]:
    """Fill what the fillers can; write the log and the escalation reports."""
    outcomes = []
    tasks = unfilled_tasks(project, root)
    together = _fill_together(tasks, fillers, checks)
    for task in tasks:
        outcome = together.get(task.function + "@" + task.module)
        if outcome is None:
            outcome = _fill_one(task, fillers, checks)
        outcomes.append(outcome)
        progress(outcome)
        if outcome.final_status in ("failed", "escalation"):
            _write_escalation(root, outcome)
    _write_log(root, outcomes)
    return outcomes


def _fill_together(
    tasks: Sequence[FillTask], fillers: Sequence[Filler], checks: Sequence[Check]
) -> dict[str, Outcome]:
    """The first round, for speed: every task a deterministic filler answers first gets
    its proposal inserted, and the checks run once over all the modules touched (one mypy
    run instead of one per body). If they pass, those tasks are done, each logged with
    that shared run; otherwise everything is put back and the tasks go one by one, so
    each failure is traced to its body. Keys: ``function@module``."""
    started = time.monotonic()
    texts: dict[str, str] = {}
    done: dict[str, tuple[FillTask, Proposal, str, list[Declined]]] = {}
    for task in tasks:
        answer = _first_answer(task, fillers)
        if answer is None or unsafe_reason(answer[1]) is not None:
            continue
        filler, proposal, declines = answer
        current = texts.get(task.module)
        if current is None:
            current = (task.root / task.module).read_text(encoding="utf-8")
        try:
            edited = insert_body(current, task.function, proposal, task.root, task.module)
            texts[task.module] = _formatted(edited, current, task)
        except RejectedEdit:
            continue
        done[task.function + "@" + task.module] = (task, proposal, filler.name, declines)
    if not done:
        return {}
    root = next(iter(done.values()))[0].root
    originals = {module: (root / module).read_text(encoding="utf-8") for module in texts}
    for module, text in texts.items():
        (root / module).write_text(text, encoding="utf-8")
    if _check(root, [task for task, *_ in done.values()], checks) is not None:
        for module, text in originals.items():
            (root / module).write_text(text, encoding="utf-8")
        return {}
    command = _commands(checks, [task for task, *_ in done.values()])
    outcomes = {}
    for key, (task, proposal, filler_name, declines) in done.items():
        outcome = Outcome(task.operation.operation_id, task.function, task.module, filler_name)
        outcome.declines = declines
        outcome.attempts.append(_entry(1, "passed", command, 0, "none", "", proposal, started))
        outcome.final_status = "success"
        outcomes[key] = outcome
    return outcomes


def _first_answer(
    task: FillTask, fillers: Sequence[Filler]
) -> tuple[Filler, Proposal, list[Declined]] | None:
    """The first proposal for the task, if a deterministic filler makes it; with the
    declines of the fillers asked before."""
    declines: list[Declined] = []
    for filler in fillers:
        if not filler.deterministic:
            return None
        try:
            proposal = filler.propose(task, [])
        except Exception:  # the one-by-one round will log it
            return None
        if isinstance(proposal, Proposal):
            return filler, proposal, declines
        declines.append(Declined(filler.name, proposal.reason, proposal.hint))
    return None


def _fill_one(task: FillTask, fillers: Sequence[Filler], checks: Sequence[Check]) -> Outcome:
    outcome = Outcome(task.operation.operation_id, task.function, task.module)
    target = task.root / task.module
    original = target.read_text(encoding="utf-8")
    for filler in fillers:
        history: list[Attempt] = []
        for number in range(1, MAX_ATTEMPTS + 1):
            started = time.monotonic()
            try:
                proposal = filler.propose(task, history)
            except Exception as error:  # a provider down, a filler bug: this task only
                summary = f"{type(error).__name__}: {error}"[:300]
                outcome.filler = filler.name
                outcome.attempts.append(
                    _entry(number, "failed", filler.name, 1, "filler", summary, None, started)
                )
                outcome.final_status = "failed"
                return outcome
            if isinstance(proposal, Decline):
                if not history:  # else it gives up after its own failed attempts
                    outcome.declines.append(Declined(filler.name, proposal.reason, proposal.hint))
                break
            outcome.filler = filler.name
            unsafe = unsafe_reason(proposal)
            if unsafe is not None:
                outcome.attempts.append(
                    _entry(
                        number, "rejected", "safety screen", 1, "unsafe", unsafe, proposal, started
                    )
                )
                outcome.final_status = "escalation"
                return outcome
            failure = _try(task, proposal, original, checks)
            if failure is None:
                outcome.attempts.append(
                    _entry(
                        number,
                        "passed",
                        _commands(checks, [task]),
                        0,
                        "none",
                        "",
                        proposal,
                        started,
                    )
                )
                outcome.final_status = "success"
                return outcome
            target.write_text(original, encoding="utf-8")
            error_type, command, exit_code, errors = failure
            summary = _summary(errors)
            outcome.attempts.append(
                _entry(number, "failed", command, exit_code, error_type, summary, proposal, started)
            )
            history.append(Attempt(number, proposal, errors))
        if outcome.filler is not None:
            outcome.final_status = "failed"
            return outcome
    return outcome


def _try(
    task: FillTask, proposal: Proposal, original: str, checks: Sequence[Check]
) -> tuple[str, str, int, str] | None:
    """Insert and check; ``(error type, command, exit code, errors)`` on a failure."""
    target = task.root / task.module
    try:
        edited = insert_body(original, task.function, proposal, task.root, task.module)
        edited = _formatted(edited, original, task)
    except RejectedEdit as error:
        return "edit", "insert", 1, str(error)
    target.write_text(edited, encoding="utf-8")
    return _check(task.root, [task], checks)


def _check(
    root: Path, tasks: Sequence[FillTask], checks: Sequence[Check]
) -> tuple[str, str, int, str] | None:
    """Run the checks on the tasks' modules and operations; ``(error type, command, exit
    code, errors)`` of the first that fails."""
    for check in checks:
        if not check.applies(root):
            continue
        env = {**os.environ, **check.env(tasks)}
        result = subprocess.run(
            check.argv(tasks), cwd=root, env=env, capture_output=True, text=True, timeout=900
        )
        if result.returncode not in (0, 5):  # 5: pytest selected no test
            return (
                check.error_type,
                check.shown(tasks),
                result.returncode,
                (result.stdout + result.stderr).strip(),
            )
    return None


def _formatted(edited: str, original: str, task: FillTask) -> str:
    """The edit as ``ruff format`` writes it, where the module was formatted before (so
    only the new body can change); then checked again for changes beyond the body."""
    command = [sys.executable, "-m", "ruff", "format", "--no-cache", "--quiet"]
    command += ["--stdin-filename", str((task.root / task.module).resolve()), "-"]

    def run(text: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command, input=text, cwd=task.root, capture_output=True, text=True, check=False
        )

    before = run(original)
    if before.returncode != 0 or before.stdout != original:
        return edited  # the user's formatting: left alone
    after = run(edited)
    if after.returncode != 0:
        raise RejectedEdit(f"ruff format cannot read the module: {after.stderr.strip()}")
    verify_only_body_changed(original, after.stdout, task.function)
    return after.stdout


_UNSAFE = (
    (r"\btext\(\s*f[\"']|\btext\([^)]*(%|\.format\(|\+)", "builds SQL text from strings"),
    (r"\.execute\(\s*(f[\"']|[\"'][^\"']*[\"']\s*(%|\+|\.format))", "runs SQL built from strings"),
    (r"\b(?i:DROP|TRUNCATE)\s+(?i:TABLE|SCHEMA|DATABASE)\b", "drops data"),
    (r"\b(drop_all|drop_table)\s*\(", "drops tables"),
    (r"dependency_overrides|verify_signature\W*False", "turns authentication off"),
    (r"algorithms\s*=\s*\[?\s*[\"']none", "turns token signatures off"),
)


def unsafe_reason(proposal: Proposal) -> str | None:
    """Why a proposal must not run at all (no retry), or None."""
    for pattern, reason in _UNSAFE:
        if re.search(pattern, proposal.body):
            return reason
    return None


def _entry(
    number: int,
    status: str,
    command: str,
    exit_code: int,
    error_type: str,
    summary: str,
    proposal: Proposal | None,
    started: float,
) -> LogEntry:
    return LogEntry(
        attempt=number,
        status=status,
        command=command,
        exit_code=exit_code,
        error_type=error_type,
        error_summary=summary,
        fix_applied=proposal.note if proposal is not None else "",
        duration_ms=round((time.monotonic() - started) * 1000),
    )


def _commands(checks: Sequence[Check], tasks: Sequence[FillTask]) -> str:
    root = tasks[0].root
    return " && ".join(c.shown(tasks) for c in checks if c.applies(root))


def _summary(errors: str) -> str:
    """The first error line a person would look at."""
    lines = [line for line in errors.splitlines() if line.strip()]
    for line in lines:
        if re.search(r"error|Error|FAILED|\b[A-Z]+\d{3}\b", line):
            return line.strip()[:300]
    return (lines[0].strip() if lines else "")[:300]


def _write_log(root: Path, outcomes: Sequence[Outcome]) -> None:
    path = root / LOG
    path.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []
    runs = previous if isinstance(previous, list) else []
    runs.append({"operations": [asdict(outcome) for outcome in outcomes]})
    path.write_text(json.dumps(runs, indent=2) + "\n", encoding="utf-8")


def _write_escalation(root: Path, outcome: Outcome) -> None:
    path = root / ESCALATIONS / f"{outcome.operation_id}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [
        f"| {a.attempt} | {a.error_type} | {a.fix_applied or '-'} | {a.status}: "
        f"{a.error_summary.replace('|', '/') or '-'} |"
        for a in outcome.attempts
    ]
    declined = [
        f"- `{d.filler}`: {d.reason}" + (f" (hint: {d.hint})" if d.hint else "")
        for d in outcome.declines
    ]
    if declined:
        declined = ["Fillers asked first declined:", "", *declined, ""]
    causes = Counter(a.error_type for a in outcome.attempts if a.status != "passed")
    cause = causes.most_common(1)[0][0] if causes else "unknown"
    last = outcome.attempts[-1].error_summary if outcome.attempts else ""
    path.write_text(
        "\n".join(
            [
                f"# Escalation: {outcome.operation_id} ({outcome.module}: {outcome.function})",
                "",
                f"Filler `{outcome.filler}` could not write a body that passes the checks; "
                "the stub was left as it was (the route answers 501).",
                "",
                *declined,
                "| Attempt | Error type | Fix tried | Result |",
                "|---|---|---|---|",
                *rows,
                "",
                f"**Root cause (guess):** the `{cause}` check failed most; last error: {last}",
                "",
                "**Options:**",
                "- A. Write the body by hand (the stub's signature is the contract's).",
                "- B. Add a hint to the operation (`x-crud`, `x-auth`, `x-owner`; the hints "
                "above say which) and run `fill` again.",
                "- C. Configure another LLM provider, or give the model more context, and retry.",
                "- D. Change the contract if the operation cannot be served as written.",
                "",
            ]
        ),
        encoding="utf-8",
    )
