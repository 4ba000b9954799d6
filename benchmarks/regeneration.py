"""How long generation takes on the bundled example, as ratios to reading the contracts.

Run by ``nox -s bench``. Every case runs in this process, several times (the median is
shown), against the same baseline measured in the same run: ``load_project``, which reads
and validates both contracts and builds the IR, the least any generation does. Ratios,
not seconds, are what compares across machines.
"""

from __future__ import annotations

import json
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml
from rich.console import Console
from rich.table import Table

from generators.generate import generate
from generators.loading.project import load_project

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "taskboard"
PING = {
    "get": {
        "tags": ["users"],
        "operationId": "ping",
        "security": [],
        "responses": {"204": {"description": "Alive."}},
    }
}


def median_seconds(
    run: Callable[[], object], repeats: int, before: Callable[[], object] | None = None
) -> float:
    times = []
    for _ in range(repeats):
        if before is not None:
            before()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    console = Console()
    scratch = Path(tempfile.mkdtemp(prefix="specfoundry-bench-"))
    try:
        project = scratch / "project"
        (project / "specs").mkdir(parents=True)
        api, db = project / "specs/openapi.yaml", project / "specs/database-schema.json"
        shutil.copy(EXAMPLE / "openapi.yaml", api)
        shutil.copy(EXAMPLE / "database-schema.json", db)
        contract = yaml.safe_load(api.read_text())
        database = json.loads(db.read_text())

        def fresh() -> None:
            for child in project.iterdir():
                if child.name != "specs":
                    shutil.rmtree(child) if child.is_dir() else child.unlink()

        def regenerate() -> None:
            generate(api, db, project, accept_breaking=True)

        def toggle_operation() -> None:  # one operation more, then one fewer, ...
            paths = contract["paths"]
            if "/ping" in paths:
                del paths["/ping"]
            else:
                paths["/ping"] = PING
            api.write_text(yaml.safe_dump(contract, sort_keys=False))

        columns = iter(range(1000))

        def add_column() -> None:  # a new nullable column: a migration each time
            properties = database["definitions"]["Project"]["properties"]
            properties[f"note{next(columns)}"] = {"type": ["string", "null"], "maxLength": 40}
            db.write_text(json.dumps(database, indent=2))

        with console.status("baseline: reading the contracts"):
            load_project(api, db)  # warm: imports and caches are not what is measured
            baseline = median_seconds(lambda: load_project(api, db), 7)
        cases: list[tuple[str, float]] = []
        with console.status("first generation"):
            cases.append(("first generation (empty project)", median_seconds(regenerate, 3, fresh)))
        regenerate()
        with console.status("regeneration, nothing changed"):
            cases.append(("regeneration, nothing changed", median_seconds(regenerate, 5)))
        with console.status("regeneration, an operation added or removed"):
            cases.append(
                (
                    "regeneration, an operation added or removed",
                    median_seconds(regenerate, 6, toggle_operation),
                )
            )
        with console.status("regeneration, a column added"):
            cases.append(
                (
                    "regeneration, a column added (migration)",
                    median_seconds(regenerate, 3, add_column),
                )
            )
    finally:
        shutil.rmtree(scratch)

    table = Table(title="Generation of the bundled example (median of runs in this process)")
    table.add_column("case")
    table.add_column("seconds", justify="right")
    table.add_column("× baseline", justify="right")
    table.add_row("baseline: read and validate the contracts", f"{baseline:.3f}", "1.0")
    for name, seconds in cases:
        table.add_row(name, f"{seconds:.3f}", f"{seconds / baseline:.1f}")
    console.print(table)


if __name__ == "__main__":
    main()
