"""The operational probes of src/core/health.py: liveness and readiness."""

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from src.core import health
from src.core.database import get_session


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
