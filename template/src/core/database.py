"""Database engine and the per-request session dependency (sync SQLAlchemy 2)."""

from collections.abc import Iterator
from functools import lru_cache
from typing import Annotated, Any

from fastapi import Depends
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from src.core.config import get_settings


def _enable_sqlite_foreign_keys(
    connection: DBAPIConnection, _: ConnectionPoolEntry
) -> None:
    """SQLite ignores foreign keys unless asked; enforce them like PostgreSQL does."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_db_engine(url: str) -> Engine:
    """Create an engine for ``url``, with the extra setup SQLite needs."""
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    connect_args: dict[str, Any] = {"check_same_thread": False}
    engine = create_engine(url, connect_args=connect_args)
    event.listen(engine, "connect", _enable_sqlite_foreign_keys)
    return engine


@lru_cache
def get_engine() -> Engine:
    """Return the application engine, created on first use from the settings."""
    return create_db_engine(get_settings().database_url)


@lru_cache
def get_session_factory() -> sessionmaker[Session]:
    """Return the session factory bound to the application engine."""
    return sessionmaker(bind=get_engine(), expire_on_commit=False)


def get_session() -> Iterator[Session]:
    """Yield one session per request: commit on success, roll back on error, always close."""
    session = get_session_factory()()
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()


# scope="function" commits before the response is sent, so a failed commit becomes a 500.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
