"""Where a generation's time goes: ``specfoundry`` under cProfile, in a new process.

``python -m benchmarks.profiling STATS ARGS...`` runs ``generators.cli.main(ARGS)`` under
cProfile and dumps the statistics to STATS; ``profile`` runs that in a project and reads
them back as the cumulative time of named steps and the ten functions with the most time
of their own. A new process, so that nothing a previous generation cached in this one
(the schemas module's ``lru_cache``, the OpenAPI validators) hides a cost. Serial
(``SPECFOUNDRY_SERIAL``): what generation does beside in a child process
(``generators.aside``) is profiled where it would otherwise be a wait.
"""

from __future__ import annotations

import cProfile
import pstats
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.bench import Table
from benchmarks.measure import generator_env, run_command
from generators.aside import SERIAL


@dataclass(frozen=True)
class Step:
    file: str
    """The end of the function's file path."""
    function: str
    what: str


GENERATE = Step("generators/generate.py", "generate", "the whole generation")
STEPS = (
    Step("generators/loading/project.py", "start_loading", "read, validate, build the IR"),
    Step("generators/loading/openapi.py", "_validator_problems", "  openapi-spec-validator"),
    Step("generators/generate.py", "api_changes", "compare with the last contract"),
    Step("generators/generate.py", "render_project", "render every file, in all"),
    Step("generators/emit/schemas.py", "_schemas_module", "  Pydantic schemas module"),
    Step("generators/emit/schemas.py", "_datamodel_code", "    of which datamodel-code-generator"),
    Step("generators/emit/api.py", "emit_api", "  routers"),
    Step("generators/emit/security.py", "emit_security", "  security module"),
    Step("generators/emit/models.py", "emit_models", "  SQLAlchemy models"),
    Step("generators/emit/docs.py", "emit_docs", "  docs (ER diagram, operations)"),
    Step("generators/emit/contract_test.py", "emit_contract_test", "  contract test"),
    Step("generators/emit/services.py", "emit_services", "  service stubs"),
    Step("generators/writer.py", "format_python", "  ruff format of the rendered files"),
    Step("generators/migrations/__init__.py", "plan_migration", "migration plan"),
    Step("generators/emit/services.py", "plan_services", "read the user's service modules"),
    Step("generators/emit/services.py", "extend_services", "stubs of new operations"),
    Step("generators/writer.py", "write_files", "compare with and write the files"),
)


def main(argv: list[str]) -> int:
    from generators.cli import main as cli

    profiler = cProfile.Profile()
    code = profiler.runcall(cli, argv[1:])
    profiler.dump_stats(argv[0])
    return int(code or 0)


def profile(python: str, project: Path, argv: list[str], stats_file: Path) -> pstats.Stats:
    """``argv`` (the CLI's arguments) profiled in ``project``."""
    command = [python, "-m", "benchmarks.profiling", str(stats_file), *argv]
    run_command(command, cwd=project, env=generator_env(**{SERIAL: "1"}))
    return pstats.Stats(str(stats_file))


def _raw(stats: pstats.Stats) -> dict[tuple[str, int, str], tuple[int, int, float, float, Any]]:
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, Any]] = vars(stats)["stats"]
    return raw


def cumulative(stats: pstats.Stats, step: Step) -> float | None:
    found = [
        entry[3]
        for (file, _, name), entry in _raw(stats).items()
        if name == step.function and file.endswith(step.file)
    ]
    return max(found) if found else None


def steps(stats: pstats.Stats, chosen: tuple[Step, ...] = STEPS) -> list[dict[str, Any]]:
    """The cumulative seconds of each step found, then the whole ``generate``."""
    rows = []
    for step in (*chosen, GENERATE):
        seconds = cumulative(stats, step)
        if seconds is not None:
            rows.append(
                {"function": step.function, "what": step.what, "seconds": round(seconds, 3)}
            )
    return rows


def top(stats: pstats.Stats, count: int = 10) -> list[dict[str, Any]]:
    """The ``count`` functions with the most time of their own."""
    ranked = sorted(_raw(stats).items(), key=lambda entry: entry[1][2], reverse=True)[:count]
    return [
        {
            "function": f"{short(file)}:{line}({name})",
            "own": round(own, 3),
            "cumulative": round(total, 3),
            "calls": calls,
        }
        for (file, line, name), (_, calls, own, total, _) in ranked
    ]


def short(file: str) -> str:
    for marker in ("site-packages/", "/generators/", "/lib/python3"):
        if marker in file:
            return (
                file.split(marker, 1)[1]
                if marker != "/generators/"
                else "generators/" + file.split(marker, 1)[1]
            )
    return file


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))


def report(stats: pstats.Stats, label: str) -> tuple[list[Table], dict[str, Any]]:
    """The steps and the top ten as tables, and as data for the JSON."""
    found, ranked = steps(stats), top(stats)
    tables = [
        Table(
            f"Where the time goes: {label} (cProfile, cumulative per step)",
            ["step", "what", "seconds"],
            [[s["function"], s["what"], f"{s['seconds']:.2f}"] for s in found],
        ),
        Table(
            f"Top 10 functions by own time: {label} (cProfile)",
            ["function", "own s", "cumulative s", "calls"],
            [
                [t["function"], f"{t['own']:.2f}", f"{t['cumulative']:.2f}", str(t["calls"])]
                for t in ranked
            ],
        ),
    ]
    return tables, {"label": label, "steps": found, "top": ranked}
