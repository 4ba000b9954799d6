"""Shared fixtures: a test client whose app talks to a throwaway SQLite database."""

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from src import main
from src.core.config import get_settings
from src.core.database import create_db_engine, get_session
from src.core.rate_limit import FixedWindowLimiter
from src.core.tokens import create_token
from src.main import create_app
from src.models import Base

AuthHeaders = Callable[..., dict[str, str]]

# The tests' apps count rate limits in memory, each its own, whatever REDIS_URL (or .env)
# says: a shared Redis would carry one run's counts into the next, and its 429s into
# tests that log in. tests/test_rate_limit.py tests the Redis limiter.
get_settings().redis_url = ""  # the settings create_app() reads
main.app.state.rate_limiter = FixedWindowLimiter(get_settings().rate_limit_per_minute)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """A SQLite engine on a temporary file, with every model's table created."""
    engine = create_db_engine(f"sqlite:///{tmp_path / 'test.db'}")
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


def app_on(engine: Engine) -> FastAPI:
    """A fresh app whose requests use ``engine``'s database."""
    factory = sessionmaker(bind=engine, expire_on_commit=False)

    def override_session() -> Iterator[Session]:
        with factory.begin() as session:  # commits on success, rolls back on error
            yield session

    app = create_app()
    app.dependency_overrides[get_session] = override_session
    return app


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    """A TestClient for a fresh app whose requests use the temporary database."""
    with TestClient(app_on(engine)) as client:
        yield client


@pytest.fixture(scope="module")
def shared_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One app (and database) for a whole module of checks that read no row another
    check wrote, such as the routing checks of every operation: an app per check took
    most of their time on a contract of hundreds of operations. Its rate limit counts
    nothing (a module sends more requests in a minute than RATE_LIMIT_PER_MINUTE allows);
    tests/test_rate_limit.py tests the limits."""
    folder = tmp_path_factory.mktemp("shared")
    engine = create_db_engine(f"sqlite:///{folder / 'test.db'}")
    Base.metadata.create_all(engine)
    app = app_on(engine)
    app.state.rate_limiter = FixedWindowLimiter(2**31)
    with TestClient(app) as client:
        yield client
    engine.dispose()


@pytest.fixture
def auth_headers() -> AuthHeaders:
    """Headers with a valid access token: ``client.get(url, headers=auth_headers())``,
    or ``auth_headers("alice", roles=["ADMIN"], scopes=["read"])``."""

    def make(
        subject: str = "test-user",
        *,
        roles: Iterable[str] = (),
        scopes: Iterable[str] = (),
    ) -> dict[str, str]:
        token = create_token(subject, roles=roles, scopes=scopes)
        return {"Authorization": f"Bearer {token}"}

    return make
