"""Targets 1 and 6: cold generation at scale against datamodel-code-generator alone, and the
peak memory of the largest generation beside its time.

Each contract is generated from nothing: a fresh project (the template laid out, the
contracts in ``specs/``), then ``specfoundry generate`` (``python -m generators``, a new
process: interpreter start and imports included, as a user runs it). The baseline, in
the same project and the same run, interleaved with it: datamodel-code-generator alone
making only the Pydantic models of the same document (``benchmarks/baseline_models.py``).
Target: generation / baseline <= 1.0 at every size, time per operation flat.
"""

from __future__ import annotations

from typing import Any

from benchmarks import contracts, profiling
from benchmarks.bench import Bench, PartResult, Table
from benchmarks.contracts import Contract
from benchmarks.measure import Sample, generator_env, ratio, run_command

NAME = "generation"
TARGET = 1.0
PROFILED = 250

# (operations, tables, runs): 50 gives the synthetic core's 64 operations, its least.
SYNTHETIC = ((50, 20, 3), (200, 80, 3), (800, 300, 1))
# Corpus documents of 200-660 operations that fit the 10-minute budget, one run each: the
# smallest, one of about 250 (also the copier part's) and the largest single file after
# stripe. Left out: openai (288) and digitalocean (659, 2,907 files), which take minutes,
# and stripe (468, 4.2 MB), sentry (223), svix (252), workos (212), discord (242) and
# sonarr (235), 15-110 s each with their baselines on 2 cores: the whole bench would
# no longer fit 10 minutes.
CORPUS = (
    ("immich-openapi-specs.json", 200),
    ("xero_accounting.yaml", 235),
    ("pagerduty-rest-openapiv3.json", 465),
)


def contracts_of(bench: Bench) -> list[tuple[Contract, int]]:
    """The contracts and their runs; tiny: the bundled example (21 operations, 6 tables)."""
    if bench.tiny:
        return [(contracts.example(), 1)]
    folder = bench.scratch / "contracts"
    chosen = [(contracts.synthetic(folder, ops, tables), runs) for ops, tables, runs in SYNTHETIC]
    found = [contracts.corpus(file, ops) for file, ops in CORPUS]
    return chosen + [(contract, 1) for contract in found if contract is not None]


def measure_contract(bench: Bench, contract: Contract, runs: int) -> tuple[Sample, Sample]:
    """Cold generation and the baseline of one contract, ``runs`` each, interleaved.
    Leaves the generated project in ``bench.project_of(contract)``."""
    project = bench.project_of(contract)
    env = generator_env()
    generation, baseline = Sample(), Sample()
    for _ in range(runs):
        contracts.empty_project(project, contract)
        models = bench.scratch / "baseline" / f"{contract.name}.py"
        argv = [bench.python, "-m", "benchmarks.baseline_models", "specs/openapi.yaml"]
        baseline.add(run_command([*argv, str(models)], cwd=project, env=env))
        generation.add(
            run_command(contracts.generate_argv(bench.python, project), cwd=project, env=env)
        )
    bench.cold[contract.name], bench.baseline[contract.name] = generation, baseline
    return generation, baseline


def run(bench: Bench) -> PartResult:
    rows: list[list[str]] = []
    data: list[dict[str, Any]] = []
    measured = contracts_of(bench)
    for contract, runs in measured:
        with bench.console.status(f"generation: {contract.label}, {runs} run(s)"):
            generation, baseline = measure_contract(bench, contract, runs)
        figures = {
            "contract": contract.name,
            "operations": contract.operations,
            "tables": contract.tables,
            "generation": generation.as_json(),
            "baseline": baseline.as_json(),
            "ratio": round(ratio(generation.median, baseline.median), 2),
            "generation_ms_per_operation": round(1000 * generation.median / contract.operations, 1),
            "baseline_ms_per_operation": round(1000 * baseline.median / contract.operations, 1),
        }
        data.append(figures)
        rows.append(
            [
                contract.name,
                str(contract.operations),
                str(contract.tables or "-"),
                f"{generation.median:.2f}",
                f"{baseline.median:.2f}",
                f"{figures['ratio']:.2f}x",
                f"{figures['generation_ms_per_operation']:.0f}",
                f"{figures['baseline_ms_per_operation']:.0f}",
                f"{generation.peak:.0f}",
                str(runs),
            ]
        )
        bench.console.print(f"  {contract.label}: {figures['ratio']:.2f}x the baseline")
    table = Table(
        "Cold generation vs datamodel-code-generator alone (target <= 1.0x)",
        [
            "contract",
            "ops",
            "tables",
            "generate s",
            "baseline s",
            "ratio",
            "ms/op",
            "baseline ms/op",
            "peak RSS MiB",
            "runs",
        ],
        rows,
    )
    tables = [table]
    missed = [f for f in data if f["ratio"] > TARGET]
    notes = [
        "generate: `python -m generators generate` (API + DB contracts where the contract has "
        "tables) in a fresh project, a new process each run; baseline: datamodel-code-generator "
        "alone on the same document with our options (benchmarks/baseline_models.py). "
        "Medians; synthetic 50 is the synthetic core's 64 operations."
    ]
    result: dict[str, Any] = {"contracts": data}
    if missed:
        # the worst ratio among the contracts of at most PROFILED operations (a profiled
        # run takes about 1.5x a plain one)
        small = [f for f in missed if f["operations"] <= PROFILED] or missed
        worst = max(small, key=lambda f: f["ratio"])
        contract = next(c for c, _ in measured if c.name == worst["contract"])
        with bench.console.status(f"generation: profiling {contract.label}"):
            project = contracts.empty_project(bench.project_of(contract), contract)
            argv = contracts.generate_argv(bench.python, project)[3:]
            stats = profiling.profile(bench.python, project, argv, bench.scratch / "cold.prof")
        profile_tables, result["profile"] = profiling.report(
            stats, f"cold generation of {contract.label}"
        )
        tables += profile_tables
        notes.append(
            f"Target missed for {len(missed)} of {len(data)} contracts (ratios "
            f"{', '.join(str(f['ratio']) for f in missed)}); profiled: {contract.name} "
            f"(its worst of those up to {PROFILED} operations), in a new process."
        )
    return PartResult(NAME, tables, notes, result)


def memory(bench: Bench) -> PartResult:
    """Target 6: peak RSS of generation beside its time, for the largest contracts: the
    most operations and the largest document (taken from this run's generation part when
    it ran, else each measured once, with its baseline)."""
    candidates = [c for c, _ in contracts_of(bench)]
    largest = {
        max(candidates, key=lambda c: c.operations).name: "most operations",
        max(candidates, key=lambda c: c.openapi.stat().st_size).name: "largest document",
    }
    rows, data = [], []
    for contract in candidates:
        if contract.name not in largest:
            continue
        if contract.name not in bench.cold:
            with bench.console.status(f"memory: {contract.label}"):
                measure_contract(bench, contract, 1)
        sample, baseline = bench.cold[contract.name], bench.baseline[contract.name]
        megabytes = contract.openapi.stat().st_size / 1e6
        rows.append(
            [
                contract.name,
                largest[contract.name],
                str(contract.operations),
                f"{megabytes:.1f}",
                f"{sample.median:.2f}",
                f"{sample.peak:.0f}",
                f"{baseline.peak:.0f}",
            ]
        )
        data.append(
            {
                "contract": contract.name,
                "why": largest[contract.name],
                "operations": contract.operations,
                "document_mb": round(megabytes, 2),
                "generation": sample.as_json(),
                "baseline": baseline.as_json(),
            }
        )
    table = Table(
        "Peak memory of the largest generations, beside their time",
        ["contract", "why", "ops", "document MB", "generate s", "peak RSS MiB", "baseline MiB"],
        rows,
    )
    notes = [
        "Peak RSS: ru_maxrss of the process (os.wait4), the largest of it and the processes "
        "it waited for (ruff); baseline: datamodel-code-generator alone on the same document."
    ]
    return PartResult("memory", [table], notes, {"contracts": data})
