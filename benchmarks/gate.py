"""Target 4: the generated project's gate, ``nox -s verify`` warm, within 1.5x of the bare
sequence ``ruff check && ruff format --check && mypy --strict src specs tools && pytest &&
alembic check`` run directly in the same project's environment.

The project is the bundled example as ``nox -s demo`` makes it: ``copier copy`` of this
checkout at HEAD, every service body written as ``nox -s fill`` writes it (the auth and
CRUD fillers, and the example's recorded answers through the ``replay`` provider), but
inserted here without the fill loop's per-body checks (minutes on 2 cores; the bodies
are the same). A first ``nox -s verify`` makes its environment and warms mypy's cache;
the second is the one timed. The bare sequence then runs in that environment
(``.nox/verify``), each command once, ``alembic check`` against the database verify's
migration step left at head (``.truth/migrations.sqlite3``). The slowest part but the
runtime's (about a minute); the smoke test does not run it.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

from benchmarks.bench import Bench, PartResult, Table
from benchmarks.measure import ROOT, Run, generator_env, project_env, ratio, run_command

NAME = "gate"
TARGET = 1.5
EXAMPLE = ROOT / "examples" / "taskboard"

BARE = (
    ("ruff check", ["ruff", "check", "."]),
    ("ruff format --check", ["ruff", "format", "--check", "."]),
    ("mypy --strict", ["mypy", "--strict", "src", "specs", "tools"]),
    ("pytest", ["pytest"]),
    ("alembic check", ["alembic", "check"]),
)

_STEP_ROW = re.compile(r"^(\w+)\s+(PASS|FAIL)\s+([\d.]+)\s", re.MULTILINE)
_STEPS_WALL = re.compile(r"^\d+ steps in ([\d.]+) s", re.MULTILINE)


def scaffold(bench: Bench, destination: Path) -> Path:
    """The bundled example, copied by Copier and filled (see the module's docstring)."""
    shutil.rmtree(destination, ignore_errors=True)
    argv = [bench.python, "-m", "copier", "copy", "--trust", "--defaults", "--vcs-ref", "HEAD"]
    run_command([*argv, str(ROOT), str(destination)], env=generator_env())
    fill_example(destination)
    return destination


def fill_example(project: Path) -> int:
    """Every body the fillers write, the LLM's from the example's recorded answers; no
    checks. The number of bodies written."""
    from generators.fill import deterministic_fillers
    from generators.fill.llm import LlmFiller
    from generators.fill.loop import fill
    from generators.fill.providers import ReplayProvider
    from generators.fill.task import Filler
    from generators.loading.project import load_project

    specs = project / "specs"
    loaded, _ = load_project(specs / "openapi.yaml", specs / "database-schema.json")
    fillers: list[Filler] = deterministic_fillers()
    fillers.append(LlmFiller(ReplayProvider.from_file(EXAMPLE / "llm-answers.json")))
    here = Path.cwd()
    os.chdir(project)  # the fillers format with the project's ruff configuration
    try:
        outcomes = fill(loaded, project, fillers, checks=())
    finally:
        os.chdir(here)
    return sum(outcome.final_status == "success" for outcome in outcomes)


def verify(bench: Bench, project: Path) -> Run:
    return run_command(
        [bench.python, "-m", "nox", "-s", "verify"], cwd=project, env=project_env(), check=False
    )


def steps_of(output: str) -> dict[str, float]:
    """The seconds each step's commands ran, from the table verify prints at its end."""
    return {match[1]: float(match[3]) for match in _STEP_ROW.finditer(output)}


def steps_wall(output: str) -> float | None:
    """The seconds from the first step's start to the last one's end (the steps run side
    by side), from the line under verify's table; None where verify prints none."""
    found = _STEPS_WALL.search(output)
    return float(found[1]) if found else None


def bare_sequence(project: Path) -> list[tuple[str, Run]]:
    """Each command of the bare sequence once, in verify's environment."""
    venv = project / ".nox" / "verify" / "bin"
    database = (project / ".truth" / "migrations.sqlite3").resolve()
    env = project_env(
        PATH=os.pathsep.join([str(venv), os.environ.get("PATH", "")]),
        VIRTUAL_ENV=str(venv.parent),
        DATABASE_URL=f"sqlite:///{database}",
    )
    return [
        (name, run_command([str(venv / argv[0]), *argv[1:]], cwd=project, env=env, check=False))
        for name, argv in BARE
    ]


def run(bench: Bench) -> PartResult:
    project = bench.scratch / "gate" / "taskboard"
    with bench.console.status("gate: copier copy and fill of the bundled example"):
        scaffold(bench, project)
    with bench.console.status("gate: nox -s verify, first (cold) run"):
        cold = verify(bench, project)
    with bench.console.status("gate: nox -s verify, second (warm) run"):
        warm = verify(bench, project)
    with bench.console.status("gate: the bare sequence"):
        bare = bare_sequence(project)
    bare_seconds = sum(run.seconds for _, run in bare)
    figure = ratio(warm.seconds, bare_seconds)
    steps = steps_of(warm.output)
    wall = steps_wall(warm.output)
    if wall is None:  # the steps one after another
        wall = sum(steps.values())
    rows = [
        ["nox -s verify, cold (first run)", f"{cold.seconds:.1f}", _exit(cold), "-"],
        ["nox -s verify, warm (timed)", f"{warm.seconds:.1f}", _exit(warm), f"{figure:.2f}x"],
        ["bare sequence (sum)", f"{bare_seconds:.1f}", _exit(*[r for _, r in bare]), "1.00x"],
        *[[f"  {name}", f"{r.seconds:.1f}", _exit(r), ""] for name, r in bare],
    ]
    tables = [
        Table(
            f"Gate on the bundled example (21 ops, 6 tables): verify vs the bare sequence "
            f"(target <= {TARGET}x)",
            ["run", "seconds", "exit", "x bare"],
            rows,
        )
    ]
    if steps:
        tables.append(
            Table(
                "Where the warm verify's time goes (its own step table: the seconds "
                "each step's commands ran; the steps run side by side)",
                ["step", "seconds", "share of the steps' seconds"],
                [
                    [step, f"{seconds:.1f}", f"{100 * seconds / sum(steps.values()):.0f}%"]
                    for step, seconds in sorted(steps.items(), key=lambda s: -s[1])
                ],
            )
        )
    notes = [
        "verify also builds the wheel, checks the generated files, the served contract "
        "(fidelity, compliance), runs schemathesis, migrates up/down/up on a fresh database, "
        "measures coverage and runs the security checks: the bare sequence does none of that."
    ]
    if figure > TARGET and steps:
        heaviest = sorted(steps.items(), key=lambda s: -s[1])[:3]
        notes.append(
            "Target missed; the heaviest steps: "
            + ", ".join(f"{step} {seconds:.1f} s" for step, seconds in heaviest)
            + f"; the steps took {wall:.1f} s from first start to last end; nox's own "
            f"start, the install and the gate's record/status/report/handoff take "
            f"{warm.seconds - wall:.1f} s."
        )
    data: dict[str, Any] = {
        "project": "taskboard",
        "verify_cold_s": round(cold.seconds, 2),
        "verify_warm_s": round(warm.seconds, 2),
        "verify_exit": [cold.returncode, warm.returncode],
        "verify_steps_s": steps,
        "verify_steps_wall_s": round(wall, 2),
        "bare": {name: {"seconds": round(r.seconds, 2), "exit": r.returncode} for name, r in bare},
        "bare_s": round(bare_seconds, 2),
        "ratio": round(figure, 2),
    }
    return PartResult(NAME, tables, notes, data)


def _exit(*runs: Run) -> str:
    return str(next((r.returncode for r in runs if r.returncode), 0))
