"""A bounded load test: the example (its bodies written as ``nox -s demo`` writes them)
served by uvicorn with two worker processes on the machine's PostgreSQL, on loopback,
driven by an async httpx client: a few users register and log in, then callers in
parallel create, list, read and update tasks in projects of their own, for a fixed time.

Asserted: no 5xx (no answer but the documented success, in fact), no request lost to
the transport, and no lost write: the rows of ``users``, ``projects`` and ``tasks`` are
exactly those whose create was acknowledged (201), each task holds the last update
acknowledged for it, and every read saw its caller's last acknowledged write. Timings
are measured, printed (``pytest -s``) and written (``--load-results PATH``; the run the
note cites is ``benchmarks/results/load.json``), never asserted.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from tests.helpers import example_served
from tests.test_rate_limits import serving

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("load")]

WORKERS = 2  # uvicorn --workers
USERS = 4
CALLERS = 16  # requests in flight: four callers a user, each in a project of its own
MIXED_SECONDS = 15.0  # the mixed phase; then a list-only and a create-only phase
PHASE_SECONDS = 5.0
PASSWORD = "Load-test-passw0rd"
PREFIX = "/api/v1"


@dataclass
class Caller:
    """One caller: its user's token, its project, the tasks it created and the title it
    last wrote to each (acknowledged), and the count of them its list should see."""

    number: int
    token: str
    project: str = ""
    titles: dict[str, str] = field(default_factory=dict)
    writes: int = 0

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Record:
    """What the callers sent and were answered: (phase, operation) -> latencies in
    seconds; every status by operation; unexpected answers; acknowledged creates."""

    latencies: dict[tuple[str, str], list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    wrong: list[str] = field(default_factory=list)
    created: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    elapsed: dict[str, float] = field(default_factory=dict)


async def call(
    client: httpx.AsyncClient,
    record: Record,
    phase: str,
    operation: str,
    expected: int,
    method: str,
    url: str,
    **kwargs: Any,
) -> dict[str, Any] | None:
    """Send one request; its latency and status recorded; its JSON body when it got
    ``expected``, else None (the answer noted as wrong, as is a transport error: a write
    never answered may have landed, so the test fails on it before counting rows)."""
    started = time.perf_counter()
    try:
        response = await client.request(method, url, **kwargs)
    except httpx.TransportError as error:
        record.wrong.append(f"{operation}: no answer ({error!r})")
        return None
    record.latencies[phase, operation].append(time.perf_counter() - started)
    record.statuses[operation, response.status_code] += 1
    if response.status_code != expected:
        record.wrong.append(f"{operation}: {response.status_code} {response.text[:300]}")
        return None
    body: dict[str, Any] = response.json() if response.content else {}
    return body


async def create_task(client: httpx.AsyncClient, record: Record, phase: str, who: Caller) -> None:
    title = f"task {who.number}-{who.writes}"
    who.writes += 1
    url = f"{PREFIX}/projects/{who.project}/tasks"
    body = {"title": title, "priority": "HIGH", "estimateHours": 1.5}
    task = await call(
        client, record, phase, "createTask", 201, "POST", url, json=body, headers=who.headers
    )
    if task is not None:
        record.created["tasks"].add(task["id"])
        who.titles[task["id"]] = title


async def list_tasks(client: httpx.AsyncClient, record: Record, phase: str, who: Caller) -> None:
    url = f"{PREFIX}/projects/{who.project}/tasks"
    page = await call(
        client, record, phase, "listProjectTasks", 200, "GET", url, headers=who.headers
    )
    # The caller alone writes to its project, one request at a time: its list counts
    # every task it was told was created.
    if page is not None and page["meta"]["total"] != len(who.titles):
        record.wrong.append(f"list of {who.project}: {page['meta']} != {len(who.titles)}")


async def get_task(client: httpx.AsyncClient, record: Record, phase: str, who: Caller) -> None:
    if not who.titles:
        return await create_task(client, record, phase, who)
    task_id = list(who.titles)[who.writes % len(who.titles)]
    url = f"{PREFIX}/tasks/{task_id}"
    task = await call(client, record, phase, "getTask", 200, "GET", url, headers=who.headers)
    if task is not None and task["title"] != who.titles[task_id]:
        record.wrong.append(f"read {task_id}: {task['title']!r} != {who.titles[task_id]!r}")


async def update_task(client: httpx.AsyncClient, record: Record, phase: str, who: Caller) -> None:
    if not who.titles:
        return await create_task(client, record, phase, who)
    task_id = list(who.titles)[-1 - who.writes % len(who.titles)]
    title = f"updated {who.number}-{who.writes}"
    who.writes += 1
    url = f"{PREFIX}/tasks/{task_id}"
    body = {"title": title, "status": "IN_PROGRESS"}
    task = await call(
        client, record, phase, "updateTask", 200, "PATCH", url, json=body, headers=who.headers
    )
    if task is not None:
        who.titles[task_id] = title


Step = Callable[[httpx.AsyncClient, Record, str, Caller], Awaitable[None]]
# The mixed phase's round: two creates, three lists, three reads, two updates in ten.
MIXED: list[Step] = [create_task, list_tasks, get_task, update_task, list_tasks]
MIXED += [get_task, create_task, get_task, update_task, list_tasks]


async def run_phase(
    client: httpx.AsyncClient, record: Record, phase: str, callers: list[Caller], steps: list[Step]
) -> None:
    """Every caller runs ``steps`` in turn, one request at a time, until the phase's time
    is up (each starts at its own place in the round)."""
    seconds = MIXED_SECONDS if phase == "mixed" else PHASE_SECONDS
    deadline = time.perf_counter() + seconds

    async def caller(who: Caller) -> None:
        turn = who.number
        while time.perf_counter() < deadline:
            await steps[turn % len(steps)](client, record, phase, who)
            turn += 1

    started = time.perf_counter()
    await asyncio.gather(*(caller(who) for who in callers))
    record.elapsed[phase] = time.perf_counter() - started


async def drive(base_url: str, record: Record) -> list[Caller]:
    """Register and log in the users, give each caller a project, run the phases."""
    limits = httpx.Limits(max_connections=CALLERS, max_keepalive_connections=CALLERS)
    timeout = httpx.Timeout(60.0)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=timeout) as client:

        async def user(number: int) -> str:
            email = f"load-{number}-{secrets.token_hex(4)}@example.com"
            body = {"email": email, "password": PASSWORD, "fullName": f"Load {number}"}
            made = await call(
                client,
                record,
                "setup",
                "register",
                201,
                "POST",
                f"{PREFIX}/auth/register",
                json=body,
            )
            assert made is not None, record.wrong
            record.created["users"].add(made["id"])
            login = {"email": email, "password": PASSWORD}
            tokens = await call(
                client, record, "setup", "login", 200, "POST", f"{PREFIX}/auth/login", json=login
            )
            assert tokens is not None, record.wrong
            return str(tokens["accessToken"])

        tokens = await asyncio.gather(*(user(number) for number in range(USERS)))
        callers = [Caller(number, tokens[number % USERS]) for number in range(CALLERS)]

        async def project(who: Caller) -> None:
            body = {"name": f"load {who.number}", "description": "the load test's"}
            made = await call(
                client,
                record,
                "setup",
                "createProject",
                201,
                "POST",
                f"{PREFIX}/projects",
                json=body,
                headers=who.headers,
            )
            assert made is not None, record.wrong
            record.created["projects"].add(made["id"])
            who.project = made["id"]

        await asyncio.gather(*(project(who) for who in callers))
        await run_phase(client, record, "mixed", callers, MIXED)
        await run_phase(client, record, "list", callers, [list_tasks])
        await run_phase(client, record, "create", callers, [create_task])
    return callers


def figures(record: Record) -> dict[str, Any]:
    """Per phase and operation: requests, requests a second, p50 and p99 in ms."""
    out: dict[str, Any] = {}
    for (phase, operation), seconds in sorted(record.latencies.items()):
        if phase == "setup":
            continue
        cuts = statistics.quantiles(seconds, n=100, method="inclusive")
        out.setdefault(phase, {})[operation] = {
            "requests": len(seconds),
            "rps": round(len(seconds) / record.elapsed[phase], 1),
            "p50_ms": round(statistics.median(seconds) * 1000, 1),
            "p99_ms": round(cuts[98] * 1000, 1),
        }
    return out


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_load_two_workers_no_5xx_no_lost_writes(
    request: pytest.FixtureRequest,
    filled_example: tuple[Path, dict[str, str]],
    database_url: str,
    tmp_path: Path,
) -> None:
    project = example_served(filled_example[0], tmp_path / "project")
    ignored = {"PYTHONPATH", "API_PREFIX", "DATABASE_URL", "JWT_SECRET", "REDIS_URL"}
    env = {key: value for key, value in os.environ.items() if key not in ignored}
    env |= {"DATABASE_URL": database_url, "JWT_SECRET": secrets.token_urlsafe(32)}
    # login documents 429: no caller of this test is to meet the limit.
    env |= {"RATE_LIMIT_PER_MINUTE": "1000000", "ENVIRONMENT": "test"}
    migrate = [sys.executable, "-m", "alembic", "upgrade", "head"]
    migrated = subprocess.run(migrate, cwd=project, env=env, capture_output=True, text=True)
    assert migrated.returncode == 0, migrated.stderr[-3000:]

    record = Record()
    load = os.getloadavg()[0]  # the machine is shared: how busy it was when the run began
    log = tmp_path / "uvicorn.log"
    with serving(project, env, [log], ["--workers", str(WORKERS)]) as (base_url,):
        callers = asyncio.run(drive(base_url, record))

    results = {
        "workers": WORKERS,
        "callers": CALLERS,
        "cpus": os.cpu_count(),
        "load_average_1m_before": round(load, 1),
        "client": "the test's process: one asyncio loop, httpx",
        "database": "postgresql",
        "phases_s": {phase: round(seconds, 1) for phase, seconds in record.elapsed.items()},
        "statuses": {f"{op} {status}": n for (op, status), n in sorted(record.statuses.items())},
        "figures": figures(record),
    }
    print("\n" + json.dumps(results, indent=2))
    if written := request.config.getoption("--load-results"):
        Path(written).parent.mkdir(parents=True, exist_ok=True)
        Path(written).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")

    server_errors = {key: n for key, n in record.statuses.items() if key[1] >= 500}
    assert not server_errors, (server_errors, log.read_text()[-4000:])
    assert not record.wrong, record.wrong[:20]

    # No lost write, none made up: the tables hold exactly the acknowledged creates.
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            for table in ("users", "projects", "tasks"):
                ids = {
                    str(i) for i in connection.execute(text(f"SELECT id FROM {table}")).scalars()
                }
                assert ids == record.created[table], (
                    table,
                    len(ids),
                    len(record.created[table]),
                )
            rows = connection.execute(text("SELECT id, title FROM tasks")).all()
    finally:
        engine.dispose()
    titles = {task: title for who in callers for task, title in who.titles.items()}
    assert {str(task): title for task, title in rows} == titles
