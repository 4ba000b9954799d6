"""Timing and memory, the one way every part measures.

A command runs as a child process, waited for with ``os.wait4``: its wall time from
``perf_counter`` and its peak resident set size from the kernel's ``ru_maxrss`` of that
child (the largest of the process and of the children it waited for: ruff started by the
generator counts), so nothing polls and nothing needs psutil. Repeated runs give the
median, the figure every table shows; the spread (min, max) is kept in the JSON.
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sysconfig
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Run:
    """One run of a command."""

    seconds: float
    peak_rss_mib: float
    returncode: int
    output: str = ""
    """stdout and stderr, the last 4,000 characters (for the report when it failed)."""


class CommandFailed(RuntimeError):
    def __init__(self, argv: Sequence[str], run: Run) -> None:
        super().__init__(f"{' '.join(argv)} exited {run.returncode}:\n{run.output}")
        self.run = run


def run_command(
    argv: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    check: bool = True,
    timeout: float = 900,
) -> Run:
    """Run ``argv`` to its end: wall seconds, peak RSS (MiB) of the process tree's largest
    process, exit code. Raises ``CommandFailed`` when it fails and ``check``."""
    log = _scratch_log()
    with log.open("w+b") as output:
        start = time.perf_counter()
        process = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        status, usage = _wait(process, timeout)
        seconds = time.perf_counter() - start
        output.seek(0)
        text = output.read().decode("utf-8", errors="replace")[-4000:]
    log.unlink(missing_ok=True)
    returncode = os.waitstatus_to_exitcode(status)
    process.returncode = returncode  # so Popen does not wait for it again
    run = Run(seconds, usage.ru_maxrss / 1024, returncode, text)  # ru_maxrss: KiB on Linux
    if check and returncode != 0:
        raise CommandFailed(argv, run)
    return run


def _wait(process: subprocess.Popen[bytes], timeout: float) -> tuple[int, Any]:
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid == process.pid:
            return status, usage
        if time.monotonic() > deadline:
            process.kill()
            _, status, usage = os.wait4(process.pid, 0)
            return status, usage
        time.sleep(0.005)


_LOGS = iter(range(1_000_000))


def _scratch_log() -> Path:
    folder = Path(os.environ.get("TMPDIR", "/tmp"))
    return folder / f"specfoundry-bench-{os.getpid()}-{next(_LOGS)}.log"


@dataclass
class Sample:
    """Repeated measurements of one case: seconds and peak RSS of each run."""

    seconds: list[float] = field(default_factory=list)
    peak_rss_mib: list[float] = field(default_factory=list)

    def add(self, run: Run) -> None:
        self.seconds.append(run.seconds)
        self.peak_rss_mib.append(run.peak_rss_mib)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak(self) -> float:
        return max(self.peak_rss_mib, default=0.0)

    def as_json(self) -> dict[str, Any]:
        return {
            "median_s": round(self.median, 4),
            "min_s": round(min(self.seconds), 4),
            "max_s": round(max(self.seconds), 4),
            "runs": len(self.seconds),
            "peak_rss_mib": round(self.peak, 1),
        }


def repeat(
    runs: int,
    measure: Callable[[], Run],
    before: Callable[[], object] | None = None,
) -> Sample:
    """``measure`` ``runs`` times (``before`` each, untimed)."""
    sample = Sample()
    for _ in range(max(1, runs)):
        if before is not None:
            before()
        sample.add(measure())
    return sample


def timed(call: Callable[[], object]) -> Run:
    """A call in this process, timed (peak RSS is not its own here: 0)."""
    start = time.perf_counter()
    call()
    return Run(time.perf_counter() - start, 0.0, 0)


def ratio(value: float, baseline: float) -> float:
    return value / baseline if baseline > 0 else float("inf")


# Not passed on: what changes a generated project's reading (API_PREFIX), and
# PYTHONDONTWRITEBYTECODE, which some machines set: every process measured would compile
# its imports again (copier's alone took 0.65 s of a copy), where a user's Python keeps the
# bytecode it compiled.
_LEFT_OUT = ("API_PREFIX", "PYTHONDONTWRITEBYTECODE")


def compile_bytecode() -> None:
    """Compile the bytecode of the installed packages and of this checkout's code, once
    (a no-op where it is current), before anything is timed. pip compiles it at install;
    uv does not, and a fresh ``nox -s bench`` environment made by uv had none: the first
    command measured paid for compiling copier and its dependencies (the copier part
    measured 1.85x its generation where, compiled, it measures 1.01x). A user's
    installation keeps the bytecode its first run compiles, so it is no cost of theirs."""
    folders = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    for folder in sorted(folders) + [str(ROOT / "generators"), str(ROOT / "benchmarks")]:
        compileall.compile_dir(folder, quiet=2)


def generator_env(**extra: str) -> dict[str, str]:
    """The environment the generator runs in: this checkout's ``generators`` first on the
    path (whatever is installed), nothing that changes a generated project's reading."""
    env = {k: v for k, v in os.environ.items() if k not in _LEFT_OUT}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


def project_env(**extra: str) -> dict[str, str]:
    """The environment a generated project's own commands run in, as its gate runs them."""
    env = {k: v for k, v in os.environ.items() if k not in (*_LEFT_OUT, "PYTHONPATH")}
    env.update(extra)
    return env
