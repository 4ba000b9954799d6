"""Fresh, empty databases for the tests: the ``database_url`` fixture, SQLite and PostgreSQL.

The PostgreSQL cases create a scratch database on the server ``TEST_DATABASE_URL`` points at
(default: ``postgres`` with trust auth on 127.0.0.1:5432, as ``.ci/run`` sets up) and drop it
afterwards. Without a reachable server they are skipped, and ``summary_lines`` makes the
terminal summary say so (see conftest.py). The outcome travels in each test's
``user_properties``, so the summary also works under pytest-xdist.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import URL, create_engine, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

DEFAULT_TEST_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"

# user_properties keys the terminal summary reads back from the test reports.
POSTGRESQL_SKIPPED = "postgresql_skipped"
POSTGRESQL_VERSION = "postgresql_version"


def postgres_server_url() -> URL:
    """The PostgreSQL server the tests use: ``TEST_DATABASE_URL``, or the local default."""
    return make_url(os.environ.get("TEST_DATABASE_URL") or DEFAULT_TEST_DATABASE_URL)


def postgres_version(url: str | URL) -> str:
    """The server's version, e.g. ``PostgreSQL 15.20 (Debian 15.20-0+deb12u1)``."""
    engine = create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as connection:
            return f"PostgreSQL {connection.exec_driver_sql('SHOW server_version').scalar_one()}"
    finally:
        engine.dispose()


@dataclass(frozen=True)
class PostgresServer:
    """The outcome of probing the server once: its version, or why it cannot be used."""

    url: URL
    version: str | None = None
    skip_reason: str | None = None


@pytest.fixture(scope="session")
def postgres_server() -> PostgresServer:
    """Probe the PostgreSQL server once per session (per xdist worker)."""
    url = postgres_server_url()
    try:
        return PostgresServer(url, version=postgres_version(url))
    except OperationalError as exc:  # refused, timed out, authentication failed, ...
        error = " ".join(str(exc.orig or exc).split())
        reason = (
            f"PostgreSQL not reachable at {url.render_as_string()}: {error}; "
            "set TEST_DATABASE_URL or run .ci/run which starts one"
        )
        return PostgresServer(url, skip_reason=reason)


@contextmanager
def scratch_postgres_database(server: URL) -> Iterator[str]:
    """Create an empty database on ``server``, yield its URL, then drop it."""
    name = f"specfoundry_test_{uuid.uuid4().hex[:8]}"
    engine = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            # FORCE: connections the test left open must not keep the database alive.
            with engine.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"], ids=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A SQLAlchemy URL of a fresh, empty database; every test runs on SQLite and PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/db.sqlite3"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    if server.skip_reason is not None:
        request.node.user_properties.append((POSTGRESQL_SKIPPED, server.skip_reason))
        pytest.skip(server.skip_reason)
    request.node.user_properties.append((POSTGRESQL_VERSION, server.version))
    with scratch_postgres_database(server.url) as url:
        yield url


def summary_lines(reports: Iterable[object]) -> list[tuple[str, bool]]:
    """What the terminal summary says about PostgreSQL: ``(line, is_alarm)`` pairs."""
    skipped: dict[str, set[str]] = {}  # reason -> node ids
    ran: dict[str, set[str]] = {}  # version -> node ids
    for report in reports:
        nodeid = getattr(report, "nodeid", "")
        for key, value in getattr(report, "user_properties", ()):
            if key == POSTGRESQL_SKIPPED:
                skipped.setdefault(value, set()).add(nodeid)
            elif key == POSTGRESQL_VERSION:
                ran.setdefault(value, set()).add(nodeid)
    lines = [
        (f"!!! PostgreSQL cases SKIPPED ({len(nodeids)}): {reason}", True)
        for reason, nodeids in sorted(skipped.items())
    ]
    lines += [
        (f"PostgreSQL cases ran against {version} ({len(nodeids)})", False)
        for version, nodeids in sorted(ran.items())
    ]
    return lines
