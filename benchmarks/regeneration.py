"""Target 2: regeneration at 800 operations (300 tables): nothing changed (< 0.5 s), and one
operation changed (in proportion to the change).

``specfoundry generate`` runs again, as a new process, on the project a cold generation
just made (the generation part's, when it ran in this run; else made here). Its
baselines in the same run: that cold generation, and the least any run of the command
costs: the interpreter starting and importing the command (``python -m generators
--version``). One operation changed: one operation's ``summary`` takes a new text before
each run (its route and docs change, nothing else).

With nothing changed, the command answers from the fingerprint the last generation
recorded (``generators/fingerprint.py``: the hashes of its inputs and of the files it
wrote and reads), without loading or rendering anything; one operation changed goes the
whole way (load, validate, render, compare every file). So the part profiles, in a new
process (``benchmarks/profiling.py``), one more one-operation regeneration, and one more
no-change regeneration where that misses its target: the time of each step of
``generators.generate.generate`` and the ten functions with the most time of their own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from benchmarks import contracts, profiling
from benchmarks.bench import Bench, PartResult, Table
from benchmarks.measure import (
    Sample,
    generator_env,
    ratio,
    repeat,
    run_command,
)

NAME = "regeneration"
TARGET_SECONDS = 0.5

# (operations, tables, runs of a one-operation change); tiny: the bundled example. One run:
# it goes the whole way, as long as a cold generation (a minute on 2 busy cores).
SIZE = (800, 300, 1)
UNCHANGED_RUNS = 5
"""Runs with nothing changed (a fraction of a second each; one in the tiny bench)."""


def run(bench: Bench) -> PartResult:
    operations, tables, runs = SIZE
    if bench.tiny:
        contract, runs = contracts.example(), 1
    else:
        contract = contracts.synthetic(bench.scratch / "contracts", operations, tables)
    project = bench.project_of(contract)
    env = generator_env()
    argv = contracts.generate_argv(bench.python, project)
    cold = bench.cold.get(contract.name)
    if cold is None or not (project / "src").is_dir():
        with bench.console.status(f"regeneration: cold generation of {contract.label}"):
            contracts.empty_project(project, contract)
            cold = repeat(1, lambda: run_command(argv, cwd=project, env=env))
    unchanged_runs = 1 if bench.tiny else UNCHANGED_RUNS
    with bench.console.status("regeneration: interpreter and imports"):
        floor = repeat(
            unchanged_runs,
            lambda: run_command([bench.python, "-m", "generators", "--version"], env=env),
        )
    with bench.console.status(f"regeneration: nothing changed, {contract.label}"):
        unchanged = repeat(unchanged_runs, lambda: run_command(argv, cwd=project, env=env))
    changes = iter(range(1, 1_000_000))
    with bench.console.status(f"regeneration: one operation changed, {contract.label}"):
        changed = repeat(
            runs,
            lambda: run_command(argv, cwd=project, env=env),
            before=lambda: change_one_operation(project / "specs" / "openapi.yaml", next(changes)),
        )
    rows = [
        _row("cold generation (baseline)", cold, cold, None),
        _row("interpreter start + the command's imports", floor, cold, None),
        _row("nothing changed", unchanged, cold, TARGET_SECONDS),
        _row("one operation changed (summary)", changed, cold, None),
    ]
    data: dict[str, Any] = {
        "contract": contract.name,
        "operations": contract.operations,
        "tables": contract.tables,
        "cold": cold.as_json(),
        "imports": floor.as_json(),
        "unchanged": unchanged.as_json(),
        "one_operation_changed": changed.as_json(),
        "unchanged_over_cold": round(ratio(unchanged.median, cold.median), 3),
        "changed_over_cold": round(ratio(changed.median, cold.median), 3),
        "unchanged_over_target": round(ratio(unchanged.median, TARGET_SECONDS), 1),
    }
    tables_out = [
        Table(
            f"Regeneration of {contract.label} (target: nothing changed < {TARGET_SECONDS} s)",
            ["case", "seconds", "x cold generation", "x target"],
            rows,
        )
    ]
    notes = [
        f"Nothing changed: {unchanged.median:.2f} s, {data['unchanged_over_target']}x the "
        f"{TARGET_SECONDS} s target and {data['unchanged_over_cold']}x a cold generation; one "
        f"operation changed: {data['changed_over_cold']}x a cold generation.",
    ]
    if not bench.tiny:  # tiny: generation's profiles
        with bench.console.status("regeneration: profiling a one-operation change"):
            change_one_operation(project / "specs" / "openapi.yaml", next(changes))
            stats = profiling.profile(
                bench.python, project, argv[3:], bench.scratch / "regeneration-changed.prof"
            )
        profile_tables, data["profile_changed"] = profiling.report(
            stats, f"one operation changed, {contract.label}"
        )
        tables_out += profile_tables
        notes.append(
            "One operation changed goes the whole way: the contracts are loaded and validated, "
            "every file rendered and formatted, then compared with the file on disk (the "
            "steps above, profiled in a new process)."
        )
    if unchanged.median >= TARGET_SECONDS and not bench.tiny:
        with bench.console.status("regeneration: profiling a no-change regeneration"):
            stats = profiling.profile(
                bench.python, project, argv[3:], bench.scratch / "regeneration.prof"
            )
        profile_tables, data["profile"] = profiling.report(
            stats, f"no-change regeneration of {contract.label}"
        )
        tables_out += profile_tables
        notes.append(
            "Nothing changed missed the target: the steps of that run above, profiled in a "
            "new process (none of generate's steps: the fingerprint answered; see "
            "generators/fingerprint.py)."
        )
    return PartResult(NAME, tables_out, notes, data)


def _row(name: str, sample: Sample, cold: Sample, target: float | None) -> list[str]:
    against = f"{ratio(sample.median, target):.1f}" if target else "-"
    return [name, f"{sample.median:.2f}", f"{ratio(sample.median, cold.median):.2f}", against]


def change_one_operation(openapi: Path, number: int) -> None:
    """A new ``summary`` for the contract's first operation (its text only)."""
    document = yaml.safe_load(openapi.read_text(encoding="utf-8"))
    for item in document["paths"].values():
        operation = next((item[m] for m in ("get", "post") if m in item), None)
        if operation is not None:
            operation["summary"] = f"Changed for the benchmark, {number}"
            break
    openapi.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
