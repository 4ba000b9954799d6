"""The public corpus: every contract in ``../shared/specs/corpus`` through the whole user path.

One case per document, its id the document's name, so a regression names it:

1. ``specfoundry check`` (the loading API it runs, in-process; warnings allowed),
2. ``generate`` of an API-only project (no database contract), in-process, into a directory
   laid out as the template is, the contract in ``specs/openapi.yaml`` (a contract split over
   several files brings its folder),
3. the app imports (``import src.main``, a subprocess in the project),
4. ``ruff check .`` and ``ruff format --check .``, as the project's gate runs them,
5. ``mypy --strict src specs tools``, as the gate runs it (see ``mypy_cache`` for its cache),
6. the project's own fidelity tool (``python -m tools.contract_fidelity specs/openapi.yaml``,
   a subprocess as the gate runs it) reports its figure.

The generator does not meet every document yet, so each case is a ratchet against its line of
``tests/corpus_expectations.toml`` (``tests/corpus_table.py``): the stage reached and the floor
``equivalent >= N`` operations. A document that does worse fails; its figures are printed and
recorded (``record_property``) either way, and the session ends with the table. A contract
refused by design (``stage = "refused"``) must stay refused, at exactly its recorded errors.

The large documents are marked ``slow`` (they still run in ``nox -s tests``); each case is its
own xdist group, and the cases are collected largest first so ``--dist loadgroup`` starts the
long ones at once rather than last.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from generators.generate import generate
from generators.loading.project import load_project
from generators.problems import ContractError
from tests.corpus_table import (
    PROPERTY,
    REFUSED,
    STAGES,
    Expectation,
    Measured,
    improvements,
    load_expectations,
    rewrite_expectations,
    shortfalls,
)
from tests.helpers import (
    SHARED,
    lay_out_template,
    place_contract,
    run_fidelity,
    run_in_project,
    shared_file,
)

CORPUS = SHARED / "specs" / "corpus"
EXPECTATIONS = load_expectations()
SLOW_BYTES = 1_000_000
"""A contract (with its folder) larger than this is marked ``slow``."""
STEP_TIMEOUT = 1800
"""Seconds a subprocess step may take before it counts as failed (a hang, not a figure)."""
TAIL = 3000
"""Characters of a failed step's output kept in the report."""


def _size(document: str) -> int:
    path = CORPUS / document
    if not path.exists():
        return 0
    if "/" in document:  # split over several files: its whole folder
        return sum(f.stat().st_size for f in path.parent.rglob("*") if f.is_file())
    return path.stat().st_size


def _cases() -> list[Any]:
    cases = []
    for document in sorted(EXPECTATIONS, key=lambda d: (-_size(d), d)):
        marks = [pytest.mark.xdist_group(f"corpus {document}")]
        if _size(document) > SLOW_BYTES:
            marks.append(pytest.mark.slow)
        cases.append(pytest.param(document, id=document, marks=marks))
    return cases


@pytest.fixture(scope="session")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One mypy cache per worker, shared by its documents: the installed libraries (FastAPI,
    Pydantic, Starlette, SQLAlchemy) are analysed once per worker, not once per document.
    The projects' own modules share names across documents, but mypy revalidates each cached
    module against its file (path, size, hash) and its dependencies' interfaces, so a cache
    entry of another project is never taken for this one's."""
    return tmp_path_factory.mktemp("mypy-cache")


def _cpu() -> float:
    """CPU seconds of this process and of the subprocesses it has waited for."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


@contextmanager
def _timed(measured: Measured, step: str) -> Iterator[None]:
    """Wall and CPU seconds of a step (CPU: what it costs on a machine of its own)."""
    start, cpu = time.perf_counter(), _cpu()
    try:
        yield
    finally:
        measured.seconds[step] = round(time.perf_counter() - start, 1)
        measured.cpu[step] = round(_cpu() - cpu, 1)


def _tail(text: str) -> str:
    return text if len(text) <= TAIL else "…" + text[-TAIL:]


def _step(
    measured: Measured, stage: str, command: list[str], project: Path, timeout: float
) -> bool:
    """Run this interpreter with ``command`` in the project; record what it printed if it
    failed."""
    try:
        result = run_in_project([sys.executable, *command], project, timeout=timeout)
    except subprocess.TimeoutExpired:
        measured.failures[stage] = f"{command}: no answer in {timeout} s"
        return False
    if result.returncode != 0:
        output = f"{' '.join(command)} (exit {result.returncode}):\n{result.stdout}{result.stderr}"
        measured.failures[stage] = _tail(measured.failures.get(stage, "") + output)
    return result.returncode == 0


def walk_user_path(document: str, source: Path, project: Path, mypy_cache: Path) -> Measured:
    """Every step of the user path on one contract, as far as it goes, with its figures."""
    measured = Measured(document)
    lay_out_template(project)
    openapi = place_contract(source, project, folder="/" in document)

    with _timed(measured, "check"):
        try:
            loaded, warnings = load_project(openapi, None)
        except ContractError as error:
            measured.stage = REFUSED
            measured.errors = sorted(p.pointer for p in error.problems if p.severity == "error")
            measured.failures["checked"] = _tail(str(error))
            return measured
        except Exception:  # a crash of the loader: the document reaches nothing
            measured.failures["checked"] = _tail(traceback.format_exc())
            return measured
    measured.stage, measured.warnings = "checked", len(warnings)
    measured.operations = len(loaded.api.operations)

    with _timed(measured, "generate"):
        try:
            generate(openapi, None, project)
        except Exception:
            measured.failures["generated"] = _tail(traceback.format_exc())
            return measured
    measured.stage = "generated"

    with _timed(measured, "import"):
        imports = _step(measured, "imported", ["-c", "import src.main"], project, STEP_TIMEOUT)
    if imports:
        with _timed(measured, "fidelity"):
            try:
                result, report = run_fidelity(project, timeout=STEP_TIMEOUT)
            except subprocess.TimeoutExpired:
                result, report = None, None
        if report is None:
            said = "no answer" if result is None else result.stdout + result.stderr
            measured.failures["fidelity"] = _tail(said)
        else:
            measured.operations = report["operations"]
            measured.equivalent = report["equivalent"]
    with _timed(measured, "lint"):
        lint = _step(measured, "lint-clean", ["-m", "ruff", "check", "."], project, STEP_TIMEOUT)
        lint &= _step(
            measured, "lint-clean", ["-m", "ruff", "format", "--check", "."], project, 600
        )
    with _timed(measured, "mypy"):
        mypy = ["-m", "mypy", "--strict", "--cache-dir", str(mypy_cache), "src", "specs", "tools"]
        typed = _step(measured, "typecheck-clean", mypy, project, STEP_TIMEOUT)
    for stage, passed in (("imported", imports), ("lint-clean", lint), ("typecheck-clean", typed)):
        if not passed:
            break
        measured.stage = stage
    return measured


@pytest.mark.parametrize("document", _cases())
def test_corpus_document(
    document: str, tmp_path: Path, record_property: Any, mypy_cache: Path
) -> None:
    source = shared_file("specs", "corpus", *document.split("/"))
    measured = walk_user_path(document, source, tmp_path / "project", mypy_cache)
    record_property(PROPERTY, measured.to_json())
    print(measured.line())
    expected = EXPECTATIONS[document]
    found = shortfalls(measured, expected)
    if found:
        heading = f"{document} does worse than its line of tests/corpus_expectations.toml:"
        pytest.fail("\n".join([heading, *found]), pytrace=False)
    better = improvements(measured, expected)
    if better:
        print(f"{document} does better than its floor ({', '.join(better)}): raise it")


def test_the_table_names_every_corpus_contract() -> None:
    """Each contract of the corpus has its line (a new one is not silently left out), and each
    line its contract; a folder contract is named by its root file."""
    shared_file("specs", "corpus")
    documents = {p.name for p in CORPUS.iterdir() if p.suffix in (".json", ".yaml", ".yml")}
    folders = {p.name for p in CORPUS.iterdir() if p.is_dir()}
    listed = set(EXPECTATIONS)
    assert documents == {d for d in listed if "/" not in d}
    assert folders == {d.split("/")[0] for d in listed if "/" in d}
    assert all((CORPUS / d).is_file() for d in listed)
    assert all(e.stage in (REFUSED, *STAGES) for e in EXPECTATIONS.values())


# --- the ratchet itself, on made-up figures ---------------------------------------------------


def test_a_document_that_does_worse_than_its_line_falls_short() -> None:
    line = Expectation(stage="imported", equivalent=5, operations=9)
    assert shortfalls(Measured("d", stage="typecheck-clean", equivalent=5), line) == []
    lower = Measured("d", stage="generated", equivalent=5, failures={"imported": "boom"})
    assert shortfalls(lower, line) == [
        "stage 'generated', expected at least 'imported': imported failed:\nboom"
    ]
    assert shortfalls(Measured("d", stage="imported", equivalent=4, operations=9), line) == [
        "fidelity 4/9 (44%), expected >= 5 operations equivalent"
    ]
    unmeasured = Measured("d", stage="imported", failures={"fidelity": "no document"})
    assert shortfalls(unmeasured, line) == [
        "no fidelity figure, expected >= 5 operations equivalent:\nno document"
    ]
    refused = Measured("d", stage=REFUSED, errors=["/x"], failures={"checked": "error: /x"})
    assert "checked failed:\nerror: /x" in shortfalls(refused, line)[0]
    assert shortfalls(refused, Expectation(stage="none")) == []


def test_a_document_refused_by_design_stays_refused_at_its_errors() -> None:
    line = Expectation(stage=REFUSED, errors=["/paths/~1a/get/security/0/s"])
    assert (
        shortfalls(Measured("d", stage=REFUSED, errors=["/paths/~1a/get/security/0/s"]), line) == []
    )
    assert shortfalls(Measured("d", stage=REFUSED, errors=["/other"]), line) == [
        "check refused it at ['/other'], expected ['/paths/~1a/get/security/0/s']"
    ]
    assert shortfalls(Measured("d", stage="typecheck-clean"), line) == [
        "check accepted it; it must refuse it at ['/paths/~1a/get/security/0/s']"
    ]


def test_the_floors_are_rewritten_from_a_run(tmp_path: Path) -> None:
    table = tmp_path / "expectations.toml"
    table.write_text(
        "# a comment stays\n"
        '"a.yaml" = { stage = "generated", equivalent = 1, operations = 4 }\n'
        '"b.json" = { stage = "refused", errors = ["/x"] }\n'
        '"c.yml" = { stage = "imported", equivalent = 2, operations = 2 }\n'
        '"d/root.yaml" = { stage = "none" }\n',
        encoding="utf-8",
    )
    runs = {
        "a.yaml": Measured("a.yaml", stage="lint-clean", equivalent=3, operations=4),
        "b.json": Measured("b.json", stage=REFUSED, errors=["/y", "/x"]),
        "d/root.yaml": Measured("d/root.yaml", stage=REFUSED, errors=["/z"]),
    }
    assert improvements(runs["a.yaml"], load_expectations(table)["a.yaml"]) == [
        "stage generated -> lint-clean",
        "equivalent 1 -> 3",
    ]
    rewrite_expectations(runs, table)
    assert table.read_text(encoding="utf-8") == (
        "# a comment stays\n"
        '"a.yaml" = { stage = "lint-clean", equivalent = 3, operations = 4 }\n'
        '"b.json" = { stage = "refused", errors = ["/x", "/y"] }\n'
        '"c.yml" = { stage = "imported", equivalent = 2, operations = 2 }\n'
        '"d/root.yaml" = { stage = "none" }\n'
    )
