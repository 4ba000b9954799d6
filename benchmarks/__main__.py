"""``python -m benchmarks [PART ...] [--tiny] [--results DIR]``: what ``nox -s bench`` runs.

Parts: generation, regeneration, copier, gate (the generated project's ``nox -s verify``),
runtime and memory; all six when none is named (or ``all``): 8 minutes 14 s on 2 cores in
the run at db3263d, the gate 3 minutes 45 s of it. Each figure is a ratio to a baseline measured
in the same run; the tables are printed and written to ``benchmarks/results/bench.json``
and ``bench.md`` (the parts that ran replace their own sections). ``--tiny``: the
smallest sizes, for the smoke test.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console

from benchmarks import copying, gate, generation, regeneration, runtime
from benchmarks.bench import RESULTS, Bench, PartResult, elapsed, machine, save
from benchmarks.measure import compile_bytecode

PARTS: dict[str, Callable[[Bench], PartResult]] = {
    "generation": generation.run,
    "regeneration": regeneration.run,
    "copier": copying.run,
    "gate": gate.run,
    "runtime": runtime.run,
    "memory": generation.memory,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("parts", nargs="*", help=f"{', '.join(PARTS)} or all")
    parser.add_argument("--tiny", action="store_true", help="smallest sizes (smoke test)")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args(argv)
    names = list(PARTS) if "all" in args.parts or not args.parts else args.parts
    unknown = [name for name in names if name not in PARTS]
    if unknown:
        parser.error(f"unknown part(s) {', '.join(unknown)}: choose from {', '.join(PARTS)}")
    names = [name for name in PARTS if name in names]  # the order of PARTS
    console = Console(width=None if sys.stdout.isatty() else 140)
    scratch = Path(tempfile.mkdtemp(prefix="specfoundry-bench-"))
    bench = Bench(console, scratch, tiny=args.tiny)
    with console.status("compiling the bytecode of the installed packages (once)"):
        compile_bytecode()
    meta = machine()
    console.print(
        f"bench: {', '.join(names)}{' (tiny)' if args.tiny else ''}; load average "
        f"{meta['load_average_1m_at_start']} on {meta['cpus']} CPUs; scratch {scratch}"
    )
    results: list[PartResult] = []
    started = time.perf_counter()
    try:
        for name in names:
            part_started = time.perf_counter()
            result = PARTS[name](bench)
            result.seconds = elapsed(part_started)
            results.append(result)
            for table in result.tables:
                console.print(table.rich())
            for note in result.notes:
                console.print(f"  {note}", soft_wrap=True)
            console.print(f"  ({name}: {result.seconds:.0f} s)")
    finally:
        if results:
            path = save(results, meta, args.results)
            console.print(f"Written: {path} and {path.with_suffix('.md').name}")
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    console.print(f"bench: {elapsed(started):.0f} s in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
