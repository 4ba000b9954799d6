"""The bench's code at tiny sizes (``python -m benchmarks --tiny``): every part but the gate
runs end to end on the bundled example and writes its JSON and Markdown. No timing is
asserted (benchmarks are not tests); what is checked is that each part measured what it
says, against its baseline, and reported it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from benchmarks import contracts, gate
from benchmarks.__main__ import main
from benchmarks.bench import Bench
from benchmarks.contracts import Contract
from benchmarks.measure import CommandFailed, Run, run_command
from generators.loading.database import load_database
from generators.loading.project import load_project
from tests.synthetic_database import synthetic_database


def test_synthetic_database_is_a_valid_contract_of_that_many_tables(tmp_path: Path) -> None:
    for tables in (1, 20):
        path = tmp_path / f"db-{tables}.json"
        path.write_text(json.dumps(synthetic_database(tables)), encoding="utf-8")
        database = load_database(path)
        assert len(database.tables) == tables
    assert synthetic_database(20) == synthetic_database(20)  # deterministic
    kinds = {r.kind for t in database.tables for r in t.relations}
    assert kinds >= {"belongsTo", "hasMany", "manyToMany"}


def test_synthetic_contracts_load_together(tmp_path: Path) -> None:
    from benchmarks.contracts import synthetic

    contract = synthetic(tmp_path, 50, 3)
    assert contract.database is not None
    project, _ = load_project(contract.openapi, contract.database)
    assert len(project.api.operations) == contract.operations >= 50
    assert len(project.database.tables) == 3


def test_measure_reads_a_child_process_peak_memory() -> None:
    grow = "x = bytearray(200 * 1024 * 1024); x[::4096] = b'1' * len(x[::4096])"
    run = run_command([sys.executable, "-c", grow])
    assert run.returncode == 0 and run.peak_rss_mib >= 190
    with pytest.raises(CommandFailed):
        run_command([sys.executable, "-c", "raise SystemExit(3)"])


def test_gate_reads_the_step_table_verify_prints() -> None:
    output = (
        "step              result   seconds  proof\n"
        "generation_output PASS        11.8  .truth/proofs/G5/generation_output-1.txt\n"
        "test_output       FAIL       181.6  .truth/proofs/G5/test_output-2.txt\n"
    )
    assert gate.steps_of(output) == {"generation_output": 11.8, "test_output": 181.6}
    assert gate.steps_wall(output) is None  # a verify whose steps ran one after another
    assert gate.steps_wall(output + "2 steps in 150.2 s, 2 commands at a time\n") == 150.2


def test_gate_reports_each_project_against_its_bare_sequence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The gate part's report, from runs given here (its real runs take minutes): the
    bundled example and the large API-only project, each verify against its bare commands,
    and where it misses the target, its heaviest steps."""
    steps = (
        "test_output  PASS  30.0  x\nlint_output  PASS  1.5  y\n2 steps in 31.0 s, 2 at a time\n"
    )
    warm = {"taskboard": 20.0, "xero_accounting": 40.0}
    monkeypatch.setattr(gate, "scaffold", lambda bench, folder: folder)
    monkeypatch.setattr(gate, "copied", lambda bench, contract, folder: folder)
    monkeypatch.setattr(gate, "verify", lambda bench, project: Run(warm[project.name], 1, 0, steps))
    monkeypatch.setattr(
        gate, "bare_sequence", lambda project: [(n, Run(5.0, 1, 0)) for n, _ in gate.BARE]
    )
    monkeypatch.setattr(
        contracts,
        "corpus",
        lambda file, operations: Contract("xero_accounting", Path(file), None, operations),
    )
    result = gate.run(Bench(Console(quiet=True), tmp_path))
    assert [row[0] for row in result.tables[0].rows] == [
        "taskboard (21 ops, 6 tables)",
        "xero_accounting (235 ops, API only)",
    ]
    assert [row[-2] for row in result.tables[0].rows] == ["0.80x", "1.60x"]
    assert result.data["ratio"] == 1.6
    missed = [note for note in result.notes if "target missed" in note]
    assert missed == [
        "xero_accounting (235 ops, API only): target missed; the heaviest steps: test_output "
        "30.0 s, lint_output 1.5 s; the steps took 31.0 s from first start to last end; nox's "
        "own start, the install and the gate's record/status/report/handoff take 9.0 s."
    ]


def tiny(tmp_path: Path, *parts: str) -> dict[str, Any]:
    """``python -m benchmarks PARTS --tiny``: the parts' entries of the JSON it wrote, after
    checking that the Markdown has a section for each."""
    assert main([*parts, "--tiny", "--results", str(tmp_path)]) == 0
    stored: dict[str, Any] = json.loads((tmp_path / "bench.json").read_text(encoding="utf-8"))
    assert list(stored["parts"]) == list(parts)
    markdown = (tmp_path / "bench.md").read_text(encoding="utf-8")
    assert all(f"## {part}" in markdown for part in parts)
    return {name: entry["data"] for name, entry in stored["parts"].items()}


def test_generation_against_the_models_alone_and_its_memory(tmp_path: Path) -> None:
    data = tiny(tmp_path, "generation", "memory")
    (example,) = data["generation"]["contracts"]
    assert example["contract"] == "taskboard" and (example["operations"], example["tables"]) == (
        21,
        6,
    )
    assert example["ratio"] > 0 and example["generation"]["peak_rss_mib"] > 0
    assert example["baseline"]["median_s"] > 0
    if "profile" in data["generation"]:  # the target missed: where the time goes
        steps = {step["function"] for step in data["generation"]["profile"]["steps"]}
        assert {"start_loading", "render_project", "_datamodel_code", "generate"} <= steps
        assert len(data["generation"]["profile"]["top"]) == 10
    (largest,) = data["memory"]["contracts"]  # the most operations and the largest document
    assert largest["contract"] == "taskboard" and largest["generation"]["peak_rss_mib"] > 0


def test_regeneration_nothing_changed_and_one_operation(tmp_path: Path) -> None:
    data = tiny(tmp_path, "regeneration")["regeneration"]
    assert data["unchanged"]["runs"] == data["one_operation_changed"]["runs"] == 1
    assert data["unchanged_over_cold"] > 0 and data["changed_over_cold"] > 0
    assert data["imports"]["median_s"] > 0


def test_copier_copy_against_generation_alone(tmp_path: Path) -> None:
    data = tiny(tmp_path, "copier")["copier"]
    assert data["contract"] == "taskboard-api" and data["ratio"] > 0


def test_generated_app_against_the_hand_written_one(tmp_path: Path) -> None:
    data = tiny(tmp_path, "runtime")["runtime"]
    cases = data["cases"]
    assert {c["database"] for c in cases} >= {"sqlite"}
    assert {c["endpoint"].split(" (")[0] for c in cases} == {"list", "get by id"}
    assert all(c["same_answers"] and c["ratio"] > 0 for c in cases)
    assert all(c["ratio_without_access_log"] > 0 for c in cases)
    assert all(c["server_cpu_ms_per_request"]["hand-written"] > 0 for c in cases)
    # The baseline has the generated app's route table, its two routes among the rest.
    paths = [path for path, _ in data["route_table"]]
    assert len(paths) > 21 and "/api/v1/projects/{projectId}" in paths
    if any(c["ratio"] < 0.95 for c in cases):  # missed: each app's CPU per request, in-process
        profiled = [data["profile"][c["endpoint"]] for c in cases if c["database"] == "sqlite"]
        assert all(p["generated_cpu_ms"] > 0 and p["handwritten_cpu_ms"] > 0 for p in profiled)
        assert data["profile"]["generated_code"]
