"""Target 5: requests per second of a generated list and get-by-id against a hand-written
FastAPI + SQLAlchemy app doing the same query (>= 0.95x), on SQLite and PostgreSQL, with
latency p50 and p99.

The generated app is the bundled example, generated and filled (the CRUD filler's
``listProjects`` and ``getProject``), served as deployed (a JSON access line per
request included: ``LOG_FORMAT=json``, what ``ENVIRONMENT=production`` picks; the
environment itself stays ``development``, as production refuses SQLite at startup and
changes nothing else a request goes through) and again with ``LOG_LEVEL=WARNING`` (no
access line); the baseline is ``benchmarks/handwritten_app.py``, given the generated
app's route table (``HANDWRITTEN_ROUTES``). All three run at once, each
in its own ``uvicorn`` process with the same settings (one worker, 127.0.0.1,
``--log-level warning --no-access-log``, output to a file), on the same database (the
generated migration's tables, seeded with 2 users, 200 projects and 20 memberships),
with the same bearer token. The load: an async httpx client in this process, a fixed
number of requests over a fixed number of connections (keep-alive), after a warm-up;
loopback only. Rounds alternate the apps, the median round counts. Where there are two
CPUs or more (Linux), the servers run on the first and the load on the others: a client
sharing the server's core moved requests/s by more than the gap being measured.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import socket
import statistics
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from benchmarks import contracts, profiling
from benchmarks.bench import Bench, PartResult, Table
from benchmarks.measure import ROOT, generator_env, project_env, ratio, run_command


def _split_cpus() -> tuple[set[int], set[int]] | None:
    """The CPUs the servers run on (the first) and those the load runs on (the others);
    None where there are fewer than two or the platform cannot say (all share them)."""
    if not hasattr(os, "sched_getaffinity"):
        return None
    cpus = sorted(os.sched_getaffinity(0))
    return ({cpus[0]}, set(cpus[1:])) if len(cpus) > 1 else None


CPUS = _split_cpus()


@contextmanager
def load_cpus() -> Iterator[None]:
    """This process (the load) on the CPUs the servers leave, for the block."""
    if CPUS is None:
        yield
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, CPUS[1])
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


NAME = "runtime"
TARGET = 0.95
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@dataclass(frozen=True)
class Load:
    requests: int
    connections: int
    warmup: int
    rounds: int


FULL = Load(requests=1000, connections=8, warmup=100, rounds=3)
TINY = Load(requests=20, connections=2, warmup=2, rounds=1)


@dataclass
class Measured:
    rps: list[float]
    latencies_ms: list[float]

    def p(self, quantile: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(quantile * len(ordered)))]


ROUTE_TABLE = """\
import json, sys
from fastapi.routing import APIRoute
from src.main import app
try:
    from fastapi.routing import iter_route_contexts
except ImportError:  # FastAPI before 0.16x: the routes are copied flat
    contexts = list(app.routes)
else:
    contexts = list(iter_route_contexts(app.routes))
table = [
    [c.path, sorted(c.methods or ())]
    for c in contexts
    if isinstance(getattr(c, "original_route", c), APIRoute)
]
json.dump(table, open(sys.argv[1], "w"))
"""


def route_table(bench: Bench, project: Path, env: dict[str, str]) -> Path:
    """The generated app's API routes in the order it matches them (its documentation's
    aside), as the hand-written app reads them (``HANDWRITTEN_ROUTES``)."""
    file = bench.scratch / "runtime" / "routes.json"
    run_command([bench.python, "-c", ROUTE_TABLE, str(file)], cwd=project, env=env)
    return file


def generated_project(bench: Bench) -> Path:
    """The bundled example, generated and every body filled (gate.fill_example)."""
    from benchmarks.gate import fill_example

    project = contracts.empty_project(bench.scratch / "runtime" / "taskboard", contracts.example())
    run_command(contracts.generate_argv(bench.python, project), cwd=project, env=generator_env())
    fill_example(project)
    return project


@contextmanager
def database(bench: Bench, kind: str) -> Iterator[str | None]:
    """A fresh database's URL (None where PostgreSQL cannot be reached), dropped after."""
    if kind == "sqlite":
        path = bench.scratch / "runtime" / "runtime.sqlite3"
        path.unlink(missing_ok=True)
        yield f"sqlite:///{path}"
        return
    import sqlalchemy as sa

    server = os.environ.get("TEST_DATABASE_URL", POSTGRES)
    name = f"bench_runtime_{secrets.token_hex(4)}"
    try:
        engine = sa.create_engine(server, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.exec_driver_sql(f"CREATE DATABASE {name}")
    except sa.exc.OperationalError:
        yield None
        return
    try:
        yield sa.make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE {name} WITH (FORCE)")
        engine.dispose()


def seed(url: str) -> tuple[str, list[str]]:
    """Two users, 100 projects each, the caller a member of 20 of the other's: the caller's
    id and the ids of the projects it owns."""
    import sqlalchemy as sa
    from sqlalchemy.orm import Session

    from benchmarks import handwritten_app as hand

    engine = sa.create_engine(url)
    me, other = uuid.uuid4(), uuid.uuid4()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    mine: list[str] = []
    with Session(engine) as session:
        for user, email in ((me, "me@example.com"), (other, "other@example.com")):
            session.add(hand.User(id=user, email=email, password_hash="x" * 60))
        session.flush()
        for number in range(200):
            owner = me if number % 2 == 0 else other
            project = hand.Project(
                id=uuid.uuid4(),
                name=f"Project {number}",
                description="Seeded for the benchmark." if number % 3 else None,
                owner_id=owner,
                created_at=start + timedelta(minutes=number),
                updated_at=start + timedelta(minutes=number),
            )
            session.add(project)
            if owner == me:
                mine.append(str(project.id))
            elif number % 10 == 1:
                session.add(hand.ProjectMember(project_id=project.id, user_id=me))
        session.commit()
    engine.dispose()
    return str(me), mine


def token(subject: str, secret: str) -> str:
    import jwt

    now = datetime.now(UTC)
    claims = {
        "sub": subject,
        "type": "access",
        "iat": now,
        "exp": now + timedelta(hours=2),
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def _cpus_note() -> str:
    if CPUS is None:
        return "client and servers share the CPUs"
    return (
        f"servers on CPU {min(CPUS[0])}, the client on CPU {', '.join(map(str, sorted(CPUS[1])))}"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


PIDS: dict[str, int] = {}
"""The process serving each base URL :func:`served` gave."""


def cpu_seconds(base: str) -> float | None:
    """The CPU time (user and system) the server of ``base`` has used, None where /proc
    does not say (not Linux)."""
    try:
        fields = Path(f"/proc/{PIDS[base]}/stat").read_text().rsplit(")", 1)[1].split()
    except (KeyError, OSError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def served(
    bench: Bench, app: str, cwd: Path, extra: list[str], env: dict[str, str], log: Path
) -> Iterator[str]:
    """``app`` served by uvicorn on a free loopback port (its output appended to ``log``),
    until the block ends: its base URL."""
    port = free_port()
    argv = [bench.python, "-m", "uvicorn", app, *extra, "--host", "127.0.0.1", "--port", str(port)]
    argv += ["--workers", "1", "--log-level", "warning", "--no-access-log"]
    output = log.open("ab")
    process = subprocess.Popen(
        argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT
    )
    if CPUS is not None:  # before the interpreter starts threads: they inherit it
        os.sched_setaffinity(process.pid, CPUS[0])
    base = f"http://127.0.0.1:{port}"
    PIDS[base] = process.pid
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/api/v1/projects", timeout=2)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{app} did not start (exit {process.poll()})") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        output.close()


async def _load(
    base: str, paths: list[str], headers: dict[str, str], load: Load
) -> tuple[float, list[float]]:
    limits = httpx.Limits(
        max_connections=load.connections, max_keepalive_connections=load.connections
    )
    async with httpx.AsyncClient(
        base_url=base, headers=headers, limits=limits, timeout=30
    ) as client:

        async def worker(numbers: range, latencies: list[float] | None) -> None:
            for number in numbers:
                started = time.perf_counter()
                response = await client.get(paths[number % len(paths)])
                if response.status_code != 200:
                    raise RuntimeError(
                        f"{base}{paths[number % len(paths)]}: {response.status_code}"
                    )
                if latencies is not None:
                    latencies.append(1000 * (time.perf_counter() - started))

        def split(total: int) -> list[range]:
            return [range(n, total, load.connections) for n in range(load.connections)]

        await asyncio.gather(*(worker(part, None) for part in split(load.warmup)))
        latencies: list[float] = []
        started = time.perf_counter()
        await asyncio.gather(*(worker(part, latencies) for part in split(load.requests)))
        return load.requests / (time.perf_counter() - started), latencies


GENERATED, QUIET, HAND = "generated", "generated, LOG_LEVEL=WARNING", "hand-written"


def run(bench: Bench) -> PartResult:
    load = TINY if bench.tiny else FULL
    with bench.console.status("runtime: generating and filling the bundled example"):
        project = generated_project(bench)
    secret = secrets.token_urlsafe(32)
    rows: list[list[str]] = []
    data: list[dict[str, Any]] = []
    notes: list[str] = []
    profile_with: tuple[dict[str, str], str, dict[str, list[str]]] | None = None
    routes: list[list[Any]] = []
    for kind in ("sqlite", "postgresql"):
        with database(bench, kind) as url:
            if url is None:
                notes.append(f"{kind}: no server at TEST_DATABASE_URL or {POSTGRES}: skipped.")
                continue
            env = project_env(
                DATABASE_URL=url, JWT_SECRET=secret, ENVIRONMENT="development", LOG_FORMAT="json"
            )
            env["HANDWRITTEN_ROUTES"] = str(route_table(bench, project, env))
            routes = json.loads(Path(env["HANDWRITTEN_ROUTES"]).read_text(encoding="utf-8"))
            with bench.console.status(f"runtime: migrating and seeding {kind}"):
                run_command(
                    [bench.python, "-m", "alembic", "upgrade", "head"], cwd=project, env=env
                )
                me, mine = seed(url)
            headers = {"Authorization": f"Bearer {token(me, secret)}"}
            endpoints = {
                "list (GET /projects?limit=20)": ["/api/v1/projects?limit=20"],
                "get by id (GET /projects/{id})": [f"/api/v1/projects/{pid}" for pid in mine],
            }
            hand = ["--app-dir", str(ROOT / "benchmarks")]
            apps = {  # name: (application, folder, uvicorn's extra arguments, environment)
                GENERATED: ("src.main:app", project, [], env),
                QUIET: ("src.main:app", project, [], {**env, "LOG_LEVEL": "WARNING"}),
                HAND: ("handwritten_app:app", ROOT, hand, env),
            }
            if kind == "sqlite":
                profile_with = (env, token(me, secret), endpoints)
            with ExitStack() as servers:
                bases = {
                    name: servers.enter_context(
                        served(bench, app, cwd, extra, environment, bench.scratch / f"{kind}.log")
                    )
                    for name, (app, cwd, extra, environment) in apps.items()
                }
                same = _same_answers(bases, endpoints, headers)
                if not same:
                    notes.append(f"{kind}: the apps' answers differ (see the JSON).")
                for endpoint, paths in endpoints.items():
                    measured = {name: Measured([], []) for name in bases}
                    spent: dict[str, float | None] = dict.fromkeys(bases, 0.0)
                    for _ in range(load.rounds):
                        for name, base in bases.items():
                            before = cpu_seconds(base)
                            with (
                                bench.console.status(f"runtime: {kind}, {endpoint}, {name}"),
                                load_cpus(),
                            ):
                                rps, latencies = asyncio.run(_load(base, paths, headers, load))
                            after, so_far = cpu_seconds(base), spent[name]
                            spent[name] = (
                                None
                                if before is None or after is None or so_far is None
                                else so_far + after - before
                            )
                            measured[name].rps.append(rps)
                            measured[name].latencies_ms += latencies
                    served_requests = load.rounds * (load.warmup + load.requests)
                    cpu_ms = {
                        name: None if total is None else 1000 * total / served_requests
                        for name, total in spent.items()
                    }
                    median = {name: statistics.median(m.rps) for name, m in measured.items()}
                    figure = ratio(median[GENERATED], median[HAND])
                    quiet = ratio(median[QUIET], median[HAND])
                    rows.append(
                        [
                            kind,
                            endpoint,
                            *(f"{median[name]:.0f}" for name in apps),
                            f"{figure:.2f}x",
                            f"{quiet:.2f}x",
                            *(f"{m.p(0.5):.1f} / {m.p(0.99):.1f}" for m in measured.values()),
                            _cpu_cell(cpu_ms[GENERATED], cpu_ms[HAND]),
                        ]
                    )
                    data.append(
                        {
                            "database": kind,
                            "endpoint": endpoint,
                            "rps": {n: [round(r, 1) for r in m.rps] for n, m in measured.items()},
                            "p50_p99_ms": {
                                n: [round(m.p(0.5), 2), round(m.p(0.99), 2)]
                                for n, m in measured.items()
                            },
                            "ratio": round(figure, 3),
                            "ratio_without_access_log": round(quiet, 3),
                            "server_cpu_ms_per_request": {
                                n: None if ms is None else round(ms, 3) for n, ms in cpu_ms.items()
                            },
                            "same_answers": same,
                        }
                    )
    tables: list[Table] = []
    missed = [case for case in data if case["ratio"] < TARGET]
    if missed and profile_with is not None:
        with bench.console.status("runtime: profiling a request of each app"):
            tables, data_profile = profile_requests(bench, project, *profile_with, load)
        notes.append(
            "Profiled in-process (benchmarks/profile_app.py, SQLite, the thread pool's work "
            "inline): CPU per request of each app, and where the generated app's goes."
        )
    else:
        data_profile = {}
    table = Table(
        f"Requests/s, generated vs hand-written (target >= {TARGET}x)",
        [
            "database",
            "endpoint",
            "generated rps",
            "generated, no access log rps",
            "hand-written rps",
            "ratio",
            "ratio, no access log",
            "generated p50/p99 ms",
            "no access log p50/p99 ms",
            "hand-written p50/p99 ms",
            "server CPU ms/request, generated / hand-written",
        ],
        rows,
    )
    notes.insert(
        0,
        f"{load.requests} requests over {load.connections} keep-alive connections after "
        f"{load.warmup} warm-up ones, {load.rounds} alternating rounds (median); "
        f"{_cpus_note()}. The generated app as deployed (LOG_FORMAT=json: a JSON "
        "access line per request; request ids, security headers, body limit) and "
        "again with LOG_LEVEL=WARNING (no access line); uvicorn's own access log off for "
        "all three; their output goes to a file. The hand-written app has the generated "
        "one's route table (its other operations answer 501: FastAPI tries the routes one "
        "by one) and reads the same query parameters. Server CPU: each server process's "
        "user and system time over the rounds (warm-up included) per request, steadier "
        "than requests/s where other work shares the cores.",
    )
    result = {
        "load": load.__dict__,
        "cases": data,
        "profile": data_profile,
        "route_table": routes,
    }
    return PartResult(NAME, [table, *tables], notes, result)


def _cpu_cell(ours: float | None, theirs: float | None) -> str:
    if ours is None or theirs is None:
        return "n/a"
    return f"{ours:.2f} / {theirs:.2f} ({ratio(ours, theirs):.2f}x)"


def profile_requests(
    bench: Bench,
    project: Path,
    env: dict[str, str],
    bearer: str,
    endpoints: dict[str, list[str]],
    load: Load,
) -> tuple[list[Table], dict[str, Any]]:
    """Each endpoint's first request, sent ``requests`` times to each app in-process under
    cProfile: CPU milliseconds per request, and the generated code's functions by their
    cumulative time per request (for the endpoint whose gap is widest)."""
    import pstats

    count = max(20, load.requests // 5)
    env = {**env, "PYTHONPATH": str(ROOT)}
    rows: list[list[str]] = []
    data: dict[str, Any] = {}
    worst: tuple[str, float, pstats.Stats] | None = None
    for endpoint, paths in endpoints.items():
        per_request: dict[str, tuple[pstats.Stats, float]] = {}
        for name, target, cwd, extra in (
            (GENERATED, "src.main:app", project, []),
            (HAND, "handwritten_app:app", ROOT, [str(ROOT / "benchmarks")]),
        ):
            file = bench.scratch / f"app-{len(data)}-{len(per_request)}.prof"
            argv = [bench.python, "-m", "benchmarks.profile_app", str(file), target, paths[0]]
            run_command([*argv, bearer, str(count), *extra], cwd=cwd, env=env)
            stats = pstats.Stats(str(file))
            per_request[name] = (stats, 1000 * vars(stats)["total_tt"] / count)
        ours, theirs = per_request[GENERATED][1], per_request[HAND][1]
        rows.append([endpoint, f"{ours:.2f}", f"{theirs:.2f}", f"{ratio(ours, theirs):.2f}x"])
        data[endpoint] = {
            "generated_cpu_ms": round(ours, 3),
            "handwritten_cpu_ms": round(theirs, 3),
        }
        if worst is None or ratio(ours, theirs) > worst[1]:
            worst = (endpoint, ratio(ours, theirs), per_request[GENERATED][0])
    tables = [
        Table(
            f"CPU per request in-process (cProfile, SQLite, {count} requests)",
            ["endpoint", "generated ms", "hand-written ms", "generated / hand-written"],
            rows,
        )
    ]
    if worst is not None:
        endpoint, _, stats = worst
        folder = str(project.resolve())
        functions = [
            (f"{file.removeprefix(folder + '/')}:{line}({function})", total)
            for (file, line, function), (_, _, _, total, _) in vars(stats)["stats"].items()
            if file.startswith(folder)
        ]
        functions.sort(key=lambda entry: -entry[1])
        tables.append(
            Table(
                f"The generated code's functions by cumulative time, {endpoint}",
                ["function", "ms per request"],
                [[name, f"{1000 * total / count:.2f}"] for name, total in functions[:12]],
            )
        )
        raw = vars(stats)["stats"].items()
        ranked = sorted(raw, key=lambda entry: -entry[1][2])[:10]
        tables.append(
            Table(
                f"Top 10 functions by own time, generated app, {endpoint}",
                ["function", "own ms/request", "cumulative ms/request", "calls/request"],
                [
                    [
                        f"{profiling.short(file).removeprefix(folder + '/')}:{line}({function})",
                        f"{1000 * own / count:.3f}",
                        f"{1000 * total / count:.3f}",
                        f"{calls / count:.1f}",
                    ]
                    for (file, line, function), (_, calls, own, total, _) in ranked
                ],
            )
        )
        data["generated_code"] = [
            {"function": name, "ms_per_request": round(1000 * total / count, 3)}
            for name, total in functions[:12]
        ]
    return tables, data


def _same_answers(
    bases: dict[str, str], endpoints: dict[str, list[str]], headers: dict[str, str]
) -> bool:
    """Whether the apps answer the first request of each endpoint alike."""
    answers = [
        [httpx.get(base + paths[0], headers=headers).json() for paths in endpoints.values()]
        for base in bases.values()
    ]
    return all(answer == answers[0] for answer in answers)
