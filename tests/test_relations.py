"""The relation extensions ``hasOne`` and ``manyToMany`` (through a join table), and a table
related to itself (a tree of tags): the models they generate, and that those models work
against a real database (SQLite, in a subprocess)."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generators import ir
from generators.generate import generate
from generators.loading.database import load_database

OPENAPI = """\
openapi: 3.1.0
info: {title: Relations, version: 1.0.0}
paths:
  /health:
    get:
      operationId: health
      responses:
        '200': {description: OK}
"""

KEY = {"type": "integer", "primaryKey": True, "default": "autoincrement()"}


def _fk(model: str, column: str, **extra: Any) -> dict[str, Any]:
    references = {"model": model, "field": "id", "onDelete": "CASCADE"}
    return {"type": "integer", "columnName": column, "references": references, **extra}


CONTRACT: dict[str, Any] = {
    "definitions": {
        "User": {
            "type": "object",
            "tableName": "users",
            "properties": {"id": KEY, "email": {"type": "string", "maxLength": 255}},
            "required": ["id", "email"],
            "relations": {
                "profile": {"type": "hasOne", "model": "Profile", "foreignKey": "userId"}
            },
        },
        "Profile": {
            "type": "object",
            "tableName": "profiles",
            "properties": {
                "id": KEY,
                "userId": _fk("User", "user_id", unique=True),
                "bio": {"type": ["string", "null"]},
            },
            "required": ["id", "userId"],
            "relations": {"user": {"type": "belongsTo", "model": "User", "foreignKey": "userId"}},
        },
        "Task": {
            "type": "object",
            "tableName": "tasks",
            "properties": {"id": KEY, "title": {"type": "string"}},
            "required": ["id", "title"],
            "relations": {"tags": {"type": "manyToMany", "model": "Tag", "through": "TaskTag"}},
        },
        "Tag": {
            "type": "object",
            "tableName": "tags",
            "properties": {
                "id": KEY,
                "name": {"type": "string", "maxLength": 50, "unique": True},
                "parentId": _fk("Tag", "parent_id", type=["integer", "null"]),
            },
            "required": ["id", "name"],
            "relations": {
                "tasks": {"type": "manyToMany", "model": "Task", "through": "TaskTag"},
                "parent": {"type": "belongsTo", "model": "Tag", "foreignKey": "parentId"},
                "children": {"type": "hasMany", "model": "Tag", "foreignKey": "parentId"},
            },
        },
        "TaskTag": {
            "type": "object",
            "tableName": "task_tags",
            "properties": {
                "taskId": _fk("Task", "task_id", primaryKey=True),
                "tagId": _fk("Tag", "tag_id", primaryKey=True),
            },
            "required": ["taskId", "tagId"],
        },
    }
}

# Creates a user with a profile and a task with two tags, then reads them back through the
# relationships in a fresh session; any SQLAlchemy warning (an overlap, say) is an error.
ROUND_TRIP = """\
import warnings

warnings.simplefilter("error")

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session, configure_mappers

from src.models import Base, Profile, Tag, Task, User

configure_mappers()
engine = create_engine("sqlite://")
Base.metadata.create_all(engine)
with Session(engine) as session:
    user = User(email="ada@example.com")
    user.profile = Profile(bio="Analyst")
    task = Task(title="Write the spec")
    task.tags = [Tag(name="docs"), Tag(name="urgent")]
    task.tags[1].children = [Tag(name="today")]
    session.add_all([user, task])
    session.commit()
with Session(engine) as session:
    user = session.scalars(select(User)).one()
    assert user.profile is not None and user.profile.bio == "Analyst", user.profile
    assert user.profile.user is user
    task = session.scalars(select(Task)).one()
    assert sorted(tag.name for tag in task.tags) == ["docs", "urgent"], task.tags
    docs = session.scalars(select(Tag).where(Tag.name == "docs")).one()
    assert [t.title for t in docs.tasks] == ["Write the spec"], docs.tasks
    today = session.scalars(select(Tag).where(Tag.name == "today")).one()
    assert today.parent is not None and today.parent.name == "urgent", today.parent
    assert [t.name for t in today.parent.children] == ["today"] and docs.parent is None
print("round trip ok")
"""


def _generate(directory: Path, contract: dict[str, Any]) -> Path:
    openapi, database = directory / "openapi.yaml", directory / "database-schema.json"
    openapi.write_text(OPENAPI)
    database.write_text(json.dumps(contract, indent=2))
    out = directory / "out"
    generate(openapi, database, out)
    return out


def _association_contract() -> dict[str, Any]:
    """The contract with the join table also mapped as a model, related to both sides."""
    contract = copy.deepcopy(CONTRACT)
    definitions = contract["definitions"]
    for model, key in (("Task", "taskId"), ("Tag", "tagId")):
        definitions[model]["relations"]["taskTags"] = {
            "type": "hasMany",
            "model": "TaskTag",
            "foreignKey": key,
        }
        definitions["TaskTag"].setdefault("relations", {})[model.lower()] = {
            "type": "belongsTo",
            "model": model,
            "foreignKey": key,
        }
    return contract


def _round_trip(out: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(out)}
    command = [sys.executable, "-c", ROUND_TRIP]
    return subprocess.run(command, cwd=out, env=env, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generate(tmp_path_factory.mktemp("relations"), CONTRACT)


def _relationships(out: Path, module: str) -> list[str]:
    """The relationship statements of a generated model, each as it reads on one line."""
    text = " ".join((out / "src/models" / f"{module}.py").read_text().split())
    text = text.replace("( ", "(").replace(" )", ")")
    return re.findall(r"\w+: Mapped\[[^=]*\] = relationship\([^)]*\)", text)


def test_the_ir_keeps_kind_foreign_key_and_through(tmp_path: Path) -> None:
    path = tmp_path / "database-schema.json"
    path.write_text(json.dumps(CONTRACT))
    database = load_database(path)
    assert database.table("User").relations == (
        ir.Relation("profile", "hasOne", "Profile", "userId"),
    )
    assert database.table("Task").relations == (
        ir.Relation("tags", "manyToMany", "Tag", None, "TaskTag"),
    )


def test_has_one_renders_a_scalar_relationship(generated: Path) -> None:
    assert _relationships(generated, "user") == [
        'profile: Mapped[Profile | None] = relationship(back_populates="user")'
    ]
    assert _relationships(generated, "profile") == [
        'user: Mapped[User] = relationship(back_populates="profile")'
    ]


def test_many_to_many_renders_a_secondary_relationship(generated: Path) -> None:
    assert _relationships(generated, "task") == [
        'tags: Mapped[list[Tag]] = relationship(secondary="task_tags", back_populates="tasks")'
    ]
    assert _relationships(generated, "tag")[0] == (
        'tasks: Mapped[list[Task]] = relationship(secondary="task_tags", back_populates="tags")'
    )
    join = (generated / "src/models/task_tag.py").read_text()
    assert "class TaskTag(Base):" in join
    assert '__tablename__ = "task_tags"' in join
    assert "relationship" not in join


def test_a_table_related_to_itself_names_the_parent_side(generated: Path) -> None:
    """A tree (a tag's parent tag): the belongsTo side says the parent is the row its key
    names (remote_side), else SQLAlchemy reads both sides as one-to-many and no mapper
    configures."""
    assert _relationships(generated, "tag")[1:] == [
        'parent: Mapped[Tag | None] = relationship(back_populates="children",'
        ' remote_side="Tag.id")',
        'children: Mapped[list[Tag]] = relationship(back_populates="parent")',
    ]


def test_the_models_round_trip_through_sqlite(generated: Path) -> None:
    result = _round_trip(generated)
    assert result.returncode == 0, result.stderr
    assert "round trip ok" in result.stdout


def test_a_join_table_mapped_as_a_model_declares_the_overlap(tmp_path: Path) -> None:
    """With relations to the join table as well, the secondary relationships name the ones
    that write the same foreign keys, so SQLAlchemy configures them without a warning."""
    out = _generate(tmp_path, _association_contract())
    assert _relationships(out, "task")[0] == (
        'tags: Mapped[list[Tag]] = relationship(secondary="task_tags", back_populates="tasks",'
        ' overlaps="tag,task,task_tags")'
    )
    result = _round_trip(out)
    assert result.returncode == 0, result.stderr


def test_the_generated_models_pass_ruff_and_mypy_strict(generated: Path, tmp_path: Path) -> None:
    """The generated project's own checks, run from its root (where ``src`` is first-party)."""
    ruff = [sys.executable, "-m", "ruff"]
    lint = ["check", "--isolated", "--select", "E,F,W,I,UP,B,SIM,N", "--ignore", "E501"]
    mypy = [sys.executable, "-m", "mypy", "--strict", "--python-version", "3.11"]
    mypy += ["--explicit-package-bases", "--cache-dir", str(tmp_path / "mypy")]
    for command in ([*ruff, *lint], [*ruff, "format", "--isolated", "--check"], mypy):
        result = subprocess.run(
            [*command, "src/models"], cwd=generated, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr
