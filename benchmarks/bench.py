"""What the parts share: the run's scratch space and console, the figures one part leaves
for another (a cold generation the regeneration part compares with), and the results:
``benchmarks/results/bench.json`` (every part's figures, raw) and ``bench.md`` (its tables),
each part's entry replaced when it runs again, the others kept.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table as RichTable

from benchmarks.measure import ROOT, Sample

if TYPE_CHECKING:
    from benchmarks.contracts import Contract

RESULTS = ROOT / "benchmarks" / "results"


@dataclass
class Bench:
    console: Console
    scratch: Path
    tiny: bool = False
    python: str = sys.executable
    cold: dict[str, Sample] = field(default_factory=dict)
    """Cold generations measured in this run, by contract name."""
    baseline: dict[str, Sample] = field(default_factory=dict)
    """Their baselines (datamodel-code-generator alone), by contract name."""

    def project_of(self, contract: Contract) -> Path:
        """Where the contract's project is generated in this run."""
        return self.scratch / "projects" / contract.name


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[str]]

    def rich(self) -> RichTable:
        table = RichTable(title=self.title)
        for number, column in enumerate(self.columns):
            table.add_column(column, justify="left" if number == 0 else "right")
        for row in self.rows:
            table.add_row(*row)
        return table

    def markdown(self) -> str:
        lines = [f"**{self.title}**", "", "| " + " | ".join(self.columns) + " |"]
        lines.append("|" + "|".join("---" for _ in self.columns) + "|")
        lines += [
            "| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in self.rows
        ]
        return "\n".join(lines)


@dataclass
class PartResult:
    part: str
    tables: list[Table]
    notes: list[str]
    data: dict[str, Any]
    seconds: float = 0.0
    """Wall time of the part, set by the driver."""


def machine() -> dict[str, Any]:
    load = os.getloadavg()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "commit": commit,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_1m_at_start": round(load[0], 2),
        "platform": platform.platform(),
    }


def save(results: list[PartResult], meta: dict[str, Any], folder: Path = RESULTS) -> Path:
    """Merge the parts into ``folder/bench.json`` and write ``bench.md`` from it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "bench.json"
    stored: dict[str, Any] = {"parts": {}}
    if path.is_file():
        stored = json.loads(path.read_text(encoding="utf-8"))
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    for result in results:
        entry = asdict(result)
        entry["measured_at"] = stamp
        entry["seconds"] = round(result.seconds, 1)
        entry["machine"] = meta
        stored["parts"][result.part] = entry
    stored["parts"] = {name: stored["parts"][name] for name in sorted(stored["parts"], key=_order)}
    path.write_text(json.dumps(stored, indent=1) + "\n", encoding="utf-8")
    (folder / "bench.md").write_text(markdown(stored), encoding="utf-8")
    return path


ORDER = ("generation", "regeneration", "copier", "gate", "runtime", "memory")


def _order(name: str) -> int:
    return ORDER.index(name) if name in ORDER else len(ORDER)


def markdown(stored: dict[str, Any]) -> str:
    lines = [
        "# `nox -s bench`",
        "",
        "Each figure is a ratio to a baseline measured in the same run on the same machine "
        "(benchmarks/, issue 18). Written by `nox -s bench`; `nox -s bench -- PART` "
        "replaces one part's section.",
    ]
    for name, entry in stored["parts"].items():
        meta = entry.get("machine", {})
        lines += [
            "",
            f"## {name}",
            "",
            f"Measured {entry['measured_at']} at {meta.get('commit', '?')}, "
            f"{meta.get('cpus', '?')} CPUs, load average "
            f"{meta.get('load_average_1m_at_start', '?')} at the start; "
            f"the part took {entry['seconds']} s.",
        ]
        for table in entry["tables"]:
            lines += ["", Table(**table).markdown()]
        if entry["notes"]:
            lines.append("")
            lines += [f"- {note}" for note in entry["notes"]]
    return "\n".join(lines) + "\n"


def elapsed(start: float) -> float:
    return time.perf_counter() - start
