"""Instants survive a round trip through the database: the example's models write aware
datetimes in UTC and read SQLite's naive values back as UTC (PostgreSQL keeps offsets)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from generators.generate import generate
from tests.helpers import EXAMPLE_API, EXAMPLE_DB, lay_out_template

ROUND_TRIP = """\
import sys, uuid
from datetime import datetime, timedelta, timezone
from sqlalchemy import create_engine, inspect, select
from sqlalchemy.orm import Session
from src.models import Base, Project, User

engine = create_engine(sys.argv[1])
Base.metadata.create_all(engine)
plus_two = timezone(timedelta(hours=2))
due = datetime(2030, 1, 2, 12, 0, tzinfo=plus_two)
with Session(engine) as session:
    user = User(id=uuid.uuid4(), email="a@b.c", password_hash="x", full_name="A")
    project = Project(name="p", owner=user, created_at=due, updated_at=due)
    session.add_all([user, project])
    session.commit()
    refreshed = project.created_at  # expired by the commit: read back from the database
    assert refreshed.tzinfo is not None and refreshed == due, refreshed
    assert refreshed.utcoffset() == timedelta(0), refreshed
with Session(engine) as session:
    loaded = session.scalars(select(Project)).one()
    assert loaded.created_at == due and loaded.created_at.tzinfo is not None, loaded.created_at
    assert loaded.updated_at.isoformat() == "2030-01-02T10:00:00+00:00", loaded.updated_at
    state = inspect(loaded)  # read as UTC, yet unchanged: nothing to write back
    assert not state.modified and not session.dirty, state.committed_state
    assert state.attrs.created_at.history.unchanged == [due], state.attrs.created_at.history
    session.refresh(loaded)
    assert loaded.created_at.tzinfo is not None and not inspect(loaded).modified
Base.metadata.drop_all(engine)
print("ok")
"""


def test_an_instant_comes_back_aware_and_equal(tmp_path: Path, database_url: str) -> None:
    project = tmp_path / "project"
    lay_out_template(project)
    shutil.copy(EXAMPLE_API, project / "specs/openapi.yaml")
    shutil.copy(EXAMPLE_DB, project / "specs/database-schema.json")
    generate(project / "specs/openapi.yaml", project / "specs/database-schema.json", project)
    result = subprocess.run(
        [sys.executable, "-c", ROUND_TRIP, database_url],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("ok")
