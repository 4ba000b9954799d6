"""The corpus ratchet's table: what each public contract must still reach, and the run's figures.

``tests/corpus_expectations.toml`` holds one line per document of ``../shared/specs/corpus``
(``tests/test_corpus.py`` reads it): the stage the document reaches at least and the fidelity
floor, ``equivalent >= N of M operations``. A document that does worse fails its case; one that
does better passes and says so. Raising a floor is a one-line edit, or
``pytest tests/test_corpus.py --update-corpus-floors`` rewrites the lines of the documents that
ran from their figures.

As a pytest plugin (``tests/conftest.py``) it prints the run's table at the end of the session
(also under xdist: each case hands its figures over as a user property) and, with
``--corpus-table PATH``, writes it as Markdown.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pytest

EXPECTATIONS = Path(__file__).with_name("corpus_expectations.toml")
PROPERTY = "corpus"
"""The ``record_property`` name under which each case hands over its figures (JSON)."""

REFUSED = "refused"
"""Refused by ``check`` by design: the contract cannot be read one way (its errors recorded)."""
STAGES = ("none", "checked", "generated", "imported", "lint-clean", "typecheck-clean")
"""The user path's steps in order; a document's stage is the last one of an unbroken run:
``checked`` (``specfoundry check`` accepts it, warnings allowed), ``generated`` (``generate``
wrote the project), ``imported`` (``import src.main``), ``lint-clean`` (``ruff check`` and
``ruff format --check``), ``typecheck-clean`` (``mypy --strict src specs tools``)."""


@dataclass
class Expectation:
    """What one document must still reach."""

    stage: str
    equivalent: int | None = None
    """Fidelity floor: at least this many operations equivalent (None: no figure required)."""
    operations: int | None = None
    """The document's operation count when the floor was recorded (a note, not a rule)."""
    errors: list[str] = field(default_factory=list)
    """For a refused document: the JSON pointers of the errors ``check`` must report."""

    def line(self, document: str) -> str:
        """This expectation as its line of the table (one inline table per document)."""
        parts = [f"stage = {json.dumps(self.stage)}"]
        if self.errors:
            parts.append(f"errors = {json.dumps(self.errors)}")
        if self.equivalent is not None:
            parts.append(f"equivalent = {self.equivalent}")
        if self.operations is not None:
            parts.append(f"operations = {self.operations}")
        return f"{json.dumps(document)} = {{ {', '.join(parts)} }}"


def load_expectations(path: Path = EXPECTATIONS) -> dict[str, Expectation]:
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    expectations = {document: Expectation(**entry) for document, entry in table.items()}
    for document, expectation in expectations.items():
        if expectation.stage not in (REFUSED, *STAGES):
            raise ValueError(f"{path}: {document}: unknown stage {expectation.stage!r}")
    return expectations


@dataclass
class Measured:
    """What one run of the user path on a document gave."""

    document: str
    stage: str = "none"
    errors: list[str] = field(default_factory=list)
    """JSON pointers of the errors ``check`` reported (refused documents)."""
    warnings: int = 0
    operations: int | None = None
    equivalent: int | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    """Wall time of each step: check, generate, import, fidelity, lint, mypy."""
    cpu: dict[str, float] = field(default_factory=dict)
    """CPU time of each step (this process and its subprocesses)."""
    failures: dict[str, str] = field(default_factory=dict)
    """Step → what it printed (tail), for each step that failed."""

    @property
    def fidelity(self) -> str:
        if self.operations is None or self.equivalent is None:
            return "-"
        share = 100 * self.equivalent / self.operations if self.operations else 100.0
        return f"{self.equivalent}/{self.operations} ({share:.0f}%)"

    def line(self) -> str:
        times = ", ".join(f"{step} {seconds:.1f}s" for step, seconds in self.seconds.items())
        return f"corpus {self.document}: {self.stage}, fidelity {self.fidelity}; {times}"

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Measured:
        return cls(**json.loads(text))


def _rank(stage: str) -> int:
    """A stage's place on the ladder; a refusal reaches nothing (``none``)."""
    return STAGES.index(stage) if stage in STAGES else 0


def shortfalls(measured: Measured, expected: Expectation) -> list[str]:
    """How the document did worse than its line of the table (empty: as well or better)."""
    found: list[str] = []
    if expected.stage == REFUSED:
        if measured.stage != REFUSED:
            found.append(f"check accepted it; it must refuse it at {expected.errors}")
        elif sorted(measured.errors) != sorted(expected.errors):
            found.append(f"check refused it at {measured.errors}, expected {expected.errors}")
        return found
    reached = _rank(measured.stage)
    if reached < STAGES.index(expected.stage):
        step = STAGES[reached + 1]
        found.append(
            f"stage {measured.stage!r}, expected at least {expected.stage!r}: "
            f"{step} failed:\n{measured.failures.get(step, measured.failures)}"
        )
    if expected.equivalent is not None:
        if measured.equivalent is None:
            found.append(
                f"no fidelity figure, expected >= {expected.equivalent} operations equivalent:\n"
                f"{measured.failures.get('fidelity', '')}"
            )
        elif measured.equivalent < expected.equivalent:
            found.append(
                f"fidelity {measured.fidelity}, expected >= {expected.equivalent} "
                "operations equivalent"
            )
    return found


def improvements(measured: Measured, expected: Expectation) -> list[str]:
    """Where the document did better than its line (its floor can be raised)."""
    found: list[str] = []
    if expected.stage in STAGES and _rank(measured.stage) > STAGES.index(expected.stage):
        found.append(f"stage {expected.stage} -> {measured.stage}")
    if measured.equivalent is not None and measured.equivalent > (expected.equivalent or 0):
        found.append(f"equivalent {expected.equivalent} -> {measured.equivalent}")
    return found


def measured_expectation(measured: Measured, before: Expectation | None) -> Expectation:
    """The line a run gives: its stage and fidelity figure. A refusal stays a stage (at its
    errors) only where the line said so: elsewhere it is a shortfall, recorded as ``none``."""
    if before is not None and before.stage == REFUSED:
        return Expectation(stage=REFUSED, errors=sorted(measured.errors))
    return Expectation(
        stage="none" if measured.stage == REFUSED else measured.stage,
        equivalent=measured.equivalent,
        operations=measured.operations,
    )


def rewrite_expectations(runs: dict[str, Measured], path: Path = EXPECTATIONS) -> list[str]:
    """Rewrite the lines of the documents that ran from their figures (comments and the
    other lines kept); the lines that changed, old and new."""
    lines = path.read_text(encoding="utf-8").splitlines()
    before = load_expectations(path)
    changed: list[str] = []
    for index, line in enumerate(lines):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        document = next(iter(tomllib.loads(line)))
        if document in runs:
            new = measured_expectation(runs[document], before.get(document)).line(document)
            if new != line:
                changed += [f"- {line}", f"+ {new}"]
                lines[index] = new
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return changed


# --- the plugin ------------------------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("corpus", "the public corpus (tests/test_corpus.py)")
    group.addoption(
        "--update-corpus-floors",
        action="store_true",
        help="rewrite tests/corpus_expectations.toml's lines of the documents that ran "
        "from their figures (stage, errors, fidelity)",
    )
    group.addoption(
        "--corpus-table",
        metavar="PATH",
        help="also write the corpus table as Markdown to PATH",
    )


def _runs(terminalreporter: pytest.TerminalReporter) -> dict[str, Measured]:
    runs: dict[str, Measured] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) != "call":
                continue
            for name, value in getattr(report, "user_properties", ()):
                if name == PROPERTY:
                    measured = Measured.from_json(value)
                    runs[measured.document] = measured
    return runs


def table_rows(runs: dict[str, Measured], expectations: dict[str, Expectation]) -> list[list[str]]:
    """The table: a row per document, how it did against its line (``WORSE``, ``better``,
    ``=``); times are wall seconds, and the CPU seconds of all steps (what the case costs on a
    machine of its own)."""
    steps = ("check", "generate", "mypy")
    header = ["document", "ops", "stage", "fidelity", "vs floor", *(f"{s} s" for s in steps)]
    rows = [[*header, "all steps s", "all steps cpu s"]]
    for document in sorted(runs):
        run = runs[document]
        line = expectations.get(document)
        verdict = "?" if line is None else "="
        if line is not None and improvements(run, line):
            verdict = "better"
        if line is not None and shortfalls(run, line):
            verdict = "WORSE"
        seconds = [f"{run.seconds[s]:.1f}" if s in run.seconds else "-" for s in steps]
        total = f"{sum(run.seconds.values()):.1f}"
        cpu = f"{sum(run.cpu.values()):.1f}" if run.cpu else "-"
        ops = "-" if run.operations is None else str(run.operations)
        rows.append([document, ops, run.stage, run.fidelity, verdict, *seconds, total, cpu])
    return rows


def markdown(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines) + "\n"


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    runs = _runs(terminalreporter)
    if not runs:
        return
    expectations = load_expectations()
    rows = table_rows(runs, expectations)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    terminalreporter.write_sep("=", "public corpus")
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=True)]
        terminalreporter.write_line("  ".join(cells).rstrip())
    for document, run in sorted(runs.items()):
        if document in expectations and (better := improvements(run, expectations[document])):
            terminalreporter.write_line(f"{document} does better than its floor: {better}")
    destination = config.getoption("--corpus-table")
    if destination:
        Path(destination).parent.mkdir(parents=True, exist_ok=True)
        Path(destination).write_text(markdown(rows), encoding="utf-8")
        terminalreporter.write_line(f"corpus table written to {destination}")
    if config.getoption("--update-corpus-floors"):
        changed = rewrite_expectations(runs)
        terminalreporter.write_line(f"{EXPECTATIONS} rewritten from this run:")
        for line in changed or ["(no line changed)"]:
            terminalreporter.write_line(line)
