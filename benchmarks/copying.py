"""Target 3: ``copier copy`` of a contract of about 250 operations within 1.2x of generation
alone.

``copier copy --trust --defaults --vcs-ref HEAD <this checkout> <new folder>`` with the
contract as the ``openapi_spec`` answer and no database contract (an API-only project, as
a new user tries a public contract): Copier clones the template at HEAD, renders it, and
its task (``hooks/after_copy.py``) runs ``specfoundry generate`` on the answered contract
(which checks it) and copies the contract into ``specs/``. The baseline, in the same run: that
``specfoundry generate`` alone, cold, in a fresh project (the generation part's figure
when it ran in this run). Module name: not ``copier``, which would shadow the package.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from benchmarks import contracts
from benchmarks.bench import Bench, PartResult, Table
from benchmarks.contracts import Contract
from benchmarks.generation import measure_contract
from benchmarks.measure import ROOT, generator_env, ratio, repeat, run_command

NAME = "copier"
TARGET = 1.2
CONTRACT = ("xero_accounting.yaml", 235)


def contract_of(bench: Bench) -> Contract:
    if not bench.tiny:
        found = contracts.corpus(*CONTRACT)
        if found is not None:
            return found
    contract = contracts.example()
    return Contract(f"{contract.name}-api", contract.openapi, None, contract.operations)


def copy_command(bench: Bench, contract: Contract, destination: Path) -> list[str]:
    """``copier copy`` of this checkout at HEAD into ``destination``: an API-only project
    of ``contract``."""
    return [
        bench.python, "-m", "copier", "copy", "--trust", "--defaults", "--vcs-ref", "HEAD",
        "--data", f"openapi_spec={contract.openapi}", "--data", "database_schema=",
        str(ROOT), str(destination),
    ]  # fmt: skip


def run(bench: Bench) -> PartResult:
    contract = contract_of(bench)
    runs = 1
    destination = bench.scratch / "copied" / contract.name
    argv = copy_command(bench, contract, destination)
    env = generator_env()
    with bench.console.status(f"copier: copier copy of {contract.label}"):
        copied = repeat(
            runs,
            lambda: run_command(argv, env=env),
            before=lambda: shutil.rmtree(destination, ignore_errors=True),
        )
    generation = bench.cold.get(contract.name)
    if generation is None:
        with bench.console.status(f"copier: generation alone of {contract.label}"):
            generation, _ = measure_contract(bench, contract, runs)
    figure = ratio(copied.median, generation.median)
    table = Table(
        f"copier copy vs generation alone (target <= {TARGET}x)",
        ["contract", "ops", "copier copy s", "generate s", "ratio"],
        [
            [
                contract.name,
                str(contract.operations),
                f"{copied.median:.2f}",
                f"{generation.median:.2f}",
                f"{figure:.2f}x",
            ]
        ],
    )
    notes = [
        "copier copy from this checkout at HEAD (a local git clone), API only; its task runs "
        "`specfoundry generate` on the answered contract (which checks it) and copies it into "
        "specs/: the rest is Copier cloning and rendering the template."
    ]
    data = {
        "contract": contract.name,
        "operations": contract.operations,
        "copier": copied.as_json(),
        "generation": generation.as_json(),
        "ratio": round(figure, 2),
    }
    return PartResult(NAME, [table], notes, data)
