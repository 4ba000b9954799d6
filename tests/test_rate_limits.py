"""Rate limits across processes: two uvicorn processes serve the filled example (its
``login`` documents 429) on the machine's PostgreSQL. With REDIS_URL they share one count:
a limit of N a minute allows N calls in all, then 429 with Retry-After in the contract's
error shape. Without it each process counts its own, and the same calls get 2N through:
the case that shows the first one can fail.

Redis: the server at REDIS_URL (default 127.0.0.1:6379, which .ci/run starts); without
one the Redis case is skipped with the reason, and fails under CI.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from email.message import Message
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from redis import Redis, RedisError

from tests.helpers import stop_servers
from tests.test_deploy_files import free_port

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("rate-limits")]

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
LIMIT = 3  # RATE_LIMIT_PER_MINUTE of both processes
LOGIN = "/api/v1/auth/login"


def redis_answers() -> None:
    """Skip (fail under CI, where .ci/run starts Redis) when no Redis answers."""
    client = Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except RedisError as error:
        reason = f"no Redis answers at {REDIS_URL} ({error}): set REDIS_URL or run .ci/run"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    finally:
        client.close()


def resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """``node`` with its local ``$ref`` chain followed."""
    while "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


@contextlib.contextmanager
def serving(
    project: Path, env: dict[str, str], logs: list[Path], options: Sequence[str] = ()
) -> Iterator[list[str]]:
    """The project served by one uvicorn process a log, each on a loopback port of its
    own, with uvicorn's ``options`` (``--workers 2``): their base URLs, once each answers
    /health; the processes are stopped after."""
    servers: list[tuple[subprocess.Popen[bytes], str, Path]] = []
    try:
        for log in logs:
            port = free_port()
            # uvicorn reads X-Forwarded-For from 127.0.0.1: the test names its client there.
            command = [sys.executable, "-m", "uvicorn", "src.main:app", "--host", "127.0.0.1"]
            command += ["--port", str(port), "--forwarded-allow-ips", "127.0.0.1", *options]
            with log.open("w") as output:
                server = subprocess.Popen(
                    command, cwd=project, env=env, stdout=output, stderr=output
                )
            servers.append((server, f"http://127.0.0.1:{port}", log))
        for server, base_url, log in servers:
            healthy = False
            for _ in range(300):  # up to 60 s
                if server.poll() is not None:
                    break
                with contextlib.suppress(OSError):  # not listening yet
                    healthy = urllib.request.urlopen(f"{base_url}/health").status == 200
                if healthy:
                    break
                time.sleep(0.2)
            assert healthy, log.read_text()[-4000:]
        yield [base_url for _, base_url, _ in servers]
    finally:
        stop_servers(*(server for server, _, _ in servers))


def lowered(headers: Message) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def login(base_url: str, client: str) -> tuple[int, dict[str, str], Any]:
    """A login that fails (no such user) from ``client``: status, headers (their names
    in lower case), body."""
    body = json.dumps({"email": "nobody@example.com", "password": "not the password"})
    headers = {"Content-Type": "application/json", "X-Forwarded-For": client}
    request = urllib.request.Request(
        base_url + LOGIN, data=body.encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, lowered(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, lowered(error.headers), json.loads(error.read() or b"null")


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize("store", ["redis", "memory"])
def test_two_processes_allow_the_limit_once_in_redis_and_twice_in_memory(
    filled_example: tuple[Path, dict[str, str]],
    database_url: str,
    tmp_path: Path,
    store: str,
) -> None:
    """2N + 2 failed logins from one client, alternating between two processes: with
    REDIS_URL, N get through (401) and the rest get 429 with Retry-After in the
    contract's error shape; without it, each process lets N through, 2N in all."""
    if store == "redis":
        redis_answers()
    root, _ = filled_example
    project = tmp_path / "project"
    shutil.copytree(root, project)
    ignored = {"PYTHONPATH", "API_PREFIX", "DATABASE_URL", "JWT_SECRET", "REDIS_URL"}
    env = {key: value for key, value in os.environ.items() if key not in ignored}
    env |= {"DATABASE_URL": database_url, "RATE_LIMIT_PER_MINUTE": str(LIMIT)}
    env |= {"JWT_SECRET": secrets.token_urlsafe(32), "ENVIRONMENT": "test"}
    if store == "redis":
        env["REDIS_URL"] = REDIS_URL
    migrate = [sys.executable, "-m", "alembic", "upgrade", "head"]
    migrated = subprocess.run(migrate, cwd=project, env=env, capture_output=True, text=True)
    assert migrated.returncode == 0, migrated.stderr[-3000:]

    # A client address of its own (a documentation address, never reached): no other
    # run or case shares its count in Redis.
    client = f"2001:db8::{secrets.token_hex(2)}:{secrets.token_hex(2)}"
    with serving(project, env, [tmp_path / "first.log", tmp_path / "second.log"]) as urls:
        answers = [login(urls[n % 2], client) for n in range(2 * LIMIT + 2)]

    statuses = [status for status, _, _ in answers]
    assert set(statuses) <= {401, 429}, statuses  # 401: let through, no such user
    if store == "redis":  # a window runs a minute from the first call
        assert statuses.count(401) == LIMIT, statuses
    else:  # each process's windows are the clock's minutes: one may turn meanwhile
        assert statuses.count(401) >= 2 * LIMIT, statuses
    document = yaml.safe_load((project / "specs/openapi.yaml").read_text(encoding="utf-8"))
    operation = document["paths"]["/auth/login"]["post"]
    response = resolve(document, operation["responses"]["429"])
    schema = resolve(document, response["content"]["application/json"]["schema"])
    for status, headers, body in answers:
        if status == 429:
            assert 1 <= int(headers["retry-after"]) <= 60, headers
            jsonschema.validate(body, {**schema, "components": document["components"]})
