"""The operational probes of src/core/health.py: liveness and readiness."""

import os
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from redis import Redis, RedisError
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from src.core import health
from src.core.config import Settings
from src.core.database import get_session
from src.main import create_app

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def overrides(client: TestClient) -> dict[Callable[..., Any], Callable[..., Any]]:
    """The app's dependency overrides (conftest's session on the test database in it)."""
    assert isinstance(client.app, FastAPI)
    return client.app.dependency_overrides


def test_liveness_answers_without_touching_anything(client: TestClient) -> None:
    def no_session() -> Iterator[Session]:
        raise AssertionError("liveness opened a session")
        yield  # pragma: no cover

    overrides(client)[get_session] = no_session
    for path in health.LIVENESS_PATHS:
        response = client.get(path)
        assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_readiness_selects_1_in_the_apps_database(client: TestClient) -> None:
    response = client.get(health.READINESS_PATH)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


def test_readiness_answers_503_naming_the_database_without_its_url(
    client: TestClient,
) -> None:
    url = "postgresql://admin:hunter2@db.internal:5432/app"

    def unreachable() -> Iterator[Session]:
        raise OperationalError("SELECT 1", {}, Exception(f"cannot reach {url}"))
        yield  # pragma: no cover

    overrides(client)[get_session] = unreachable
    response = client.get(health.READINESS_PATH)
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "error"}}
    assert "hunter2" not in response.text and "db.internal" not in response.text


def test_readiness_gives_up_on_a_database_that_does_not_answer(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hung check answers ``timeout``; while it hangs, later probes do not wait on it
    (nor start another thread behind it), and once it is back the probe passes again."""
    monkeypatch.setattr(health, "READINESS_TIMEOUT", 0.25)
    entered, release = threading.Event(), threading.Event()
    calls = []

    def hanging() -> Iterator[Session]:
        calls.append(1)
        entered.set()
        release.wait()  # the test ends it
        raise OperationalError("SELECT 1", {}, Exception("gone"))
        yield  # pragma: no cover

    test_database = overrides(client)[get_session]
    overrides(client)[get_session] = hanging
    try:
        first = client.get(health.READINESS_PATH)
        assert entered.wait(10)
        second = client.get(health.READINESS_PATH)
    finally:
        release.set()
    for response in (first, second):
        assert response.status_code == 503
        assert response.json()["checks"] == {"database": "timeout"}
    assert len(calls) == 1  # the second probe did not start a check of its own
    overrides(client)[get_session] = test_database
    with health._running["database"]:  # the hung check has ended
        pass
    assert client.get(health.READINESS_PATH).status_code == 200


def test_the_probes_are_not_in_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json().get("paths", {})
    assert not set(health.OPERATIONAL_PATHS) & set(paths)


def readiness_with_redis(engine: Engine, redis_url: str) -> tuple[int, Any]:
    """What an app with ``redis_url`` (and the test database) answers on readiness."""
    app = create_app(Settings(redis_url=redis_url))
    factory = sessionmaker(bind=engine)

    def sessions() -> Iterator[Session]:
        with factory() as session:
            yield session

    app.dependency_overrides[get_session] = sessions
    with TestClient(app) as client:
        response = client.get(health.READINESS_PATH)
    return response.status_code, response.json()


def test_readiness_pings_redis_when_redis_url_is_set(engine: Engine) -> None:
    client = Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except RedisError as error:
        pytest.skip(f"no Redis answers at {REDIS_URL} ({error}): set REDIS_URL")
    finally:
        client.close()
    checks = {"database": "ok", "redis": "ok"}
    assert readiness_with_redis(engine, REDIS_URL) == (
        200,
        {"status": "ok", "checks": checks},
    )


def test_readiness_answers_503_naming_redis_when_it_refuses(engine: Engine) -> None:
    with socket.socket() as bound:  # bound, not listening: connections are refused
        bound.bind(("127.0.0.1", 0))
        url = f"redis://:hunter2@127.0.0.1:{bound.getsockname()[1]}/0"
        status, body = readiness_with_redis(engine, url)
    checks = {"database": "ok", "redis": "error"}
    assert (status, body) == (503, {"status": "unavailable", "checks": checks})
