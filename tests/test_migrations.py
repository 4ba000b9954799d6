"""Migrations walk five contract versions on SQLite and on PostgreSQL, with rows in the tables.

Each version is generated with ``specfoundry generate`` into one project (the template's
Alembic set-up, the generated models), then applied with the real ``alembic`` command line:
``upgrade head`` from where the previous version left the database, ``check`` (no drift
between the models and the database), and at the end ``downgrade base`` and ``upgrade head``
again, from empty. Rows written at version 2 must survive the renames of version 3.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from generators.generate import generate
from generators.migrations import DestructiveChange
from tests.helpers import EXAMPLE_DB, lay_out_template

Contract = dict[str, Any]

OPENAPI = """\
openapi: 3.1.0
info: {title: Migrations, version: 1.0.0}
paths:
  /ping:
    get:
      operationId: ping
      responses:
        '200': {description: OK}
"""


def _uuid_key() -> dict[str, Any]:
    return {"type": "string", "format": "uuid", "primaryKey": True, "default": "uuid()"}


def version_1() -> Contract:
    """Users and their tasks; two enums, a unique email, an FK with CASCADE."""
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "version": "1.0.0",
        "definitions": {
            "UserRole": {"type": "string", "enum": ["USER", "ADMIN"]},
            "TaskStatus": {"type": "string", "enum": ["TODO", "DONE"]},
            "User": {
                "type": "object",
                "tableName": "users",
                "properties": {
                    "id": _uuid_key(),
                    "email": {"type": "string", "maxLength": 255, "unique": True},
                    "name": {"type": ["string", "null"], "maxLength": 100},
                    "role": {"$ref": "#/definitions/UserRole", "default": "USER"},
                    "createdAt": {
                        "type": "string",
                        "format": "date-time",
                        "columnName": "created_at",
                        "default": "now()",
                    },
                },
                "required": ["id", "email", "role", "createdAt"],
                "relations": {
                    "tasks": {"type": "hasMany", "model": "Task", "foreignKey": "ownerId"}
                },
            },
            "Task": {
                "type": "object",
                "tableName": "tasks",
                "properties": {
                    "id": {"type": "integer", "primaryKey": True, "default": "autoincrement()"},
                    "title": {"type": "string", "maxLength": 200},
                    "status": {"$ref": "#/definitions/TaskStatus", "default": "TODO"},
                    "done": {"type": "boolean", "default": False},
                    "ownerId": {
                        "type": "string",
                        "format": "uuid",
                        "columnName": "owner_id",
                        "references": {"model": "User", "field": "id", "onDelete": "CASCADE"},
                    },
                },
                "required": ["id", "title", "status", "done", "ownerId"],
                "indexes": [{"columns": ["ownerId"]}],
                "relations": {
                    "owner": {"type": "belongsTo", "model": "User", "foreignKey": "ownerId"}
                },
            },
        },
    }


def version_2(contract: Contract) -> None:
    """Add columns and a composite index; alter length, default, nullability, a foreign key;
    drop a unique constraint."""
    task, user = contract["definitions"]["Task"], contract["definitions"]["User"]
    task["properties"]["priority"] = {"type": "integer", "default": 0}
    task["indexes"].append({"columns": ["status", "priority"]})
    task["properties"]["done"]["default"] = True
    task["properties"]["title"]["type"] = ["string", "null"]
    task["required"].remove("title")
    task["properties"]["ownerId"]["references"]["onDelete"] = "RESTRICT"
    user["properties"]["bio"] = {"type": ["string", "null"]}
    user["properties"]["name"]["maxLength"] = 150
    del user["properties"]["email"]["unique"]


def version_3(contract: Contract) -> None:
    """Rename a column (``name`` → ``displayName``) and a table (``Task``, tasks → ``Todo``,
    todos), both through ``renamedFrom``."""
    definitions = contract["definitions"]
    user = definitions["User"]
    user["properties"] = {
        ("displayName" if key == "name" else key): value
        for key, value in user["properties"].items()
    }
    user["properties"]["displayName"] |= {"columnName": "display_name", "renamedFrom": "name"}
    user["relations"] = {"todos": {"type": "hasMany", "model": "Todo", "foreignKey": "ownerId"}}
    todo = definitions.pop("Task") | {"tableName": "todos", "renamedFrom": "Task"}
    definitions["Todo"] = todo


def version_4(contract: Contract) -> None:
    """Enum values (one longer than any before), a new table, foreign keys both ways; a unique
    constraint back; a column NOT NULL again, its NULLs backfilled with the new default."""
    definitions = contract["definitions"]
    definitions["TaskStatus"]["enum"] = ["TODO", "IN_PROGRESS", "DONE", "BLOCKED"]
    definitions["Team"] = {
        "type": "object",
        "tableName": "teams",
        "properties": {
            "id": _uuid_key(),
            "name": {"type": "string", "maxLength": 80},
            "leadId": {
                "type": "string",
                "format": "uuid",
                "columnName": "lead_id",
                "references": {"model": "User", "field": "id", "onDelete": "RESTRICT"},
            },
        },
        "required": ["id", "name", "leadId"],
    }
    definitions["User"]["properties"]["teamId"] = {
        "type": ["string", "null"],
        "format": "uuid",
        "columnName": "team_id",
        "references": {"model": "Team", "field": "id", "onDelete": "SET NULL"},
    }
    definitions["User"]["indexes"] = [{"columns": ["teamId"]}]
    definitions["User"]["properties"]["email"]["unique"] = True
    title = definitions["Todo"]["properties"]["title"]
    title |= {"type": "string", "default": "untitled"}  # NOT NULL again: NULLs get the default


def version_5(contract: Contract) -> None:
    """Drop two columns (with the last use of an enum type, which goes too) and narrow
    another: refused unless ``--allow-destructive``."""
    user = contract["definitions"]["User"]
    del user["properties"]["bio"]
    del user["properties"]["role"]
    user["required"].remove("role")
    del contract["definitions"]["UserRole"]
    user["properties"]["email"]["maxLength"] = 120


# --- the project under test -------------------------------------------------------------------


def scaffold(project: Path) -> None:
    """The template laid out, with a one-operation API beside the database contract."""
    lay_out_template(project)
    (project / "specs/openapi.yaml").write_text(OPENAPI)


def write_and_generate(project: Path, contract: Contract, **options: Any) -> list[str]:
    """Generate from ``contract``; return the migration files that were created."""
    schema = project / "specs/database-schema.json"
    schema.write_text(json.dumps(contract, indent=2) + "\n")
    generated = generate(project / "specs/openapi.yaml", schema, project, **options)
    return sorted(p for p in generated.report.created if p.startswith("alembic/versions/"))


def alembic(project: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url}
    result = subprocess.run(
        [sys.executable, "-m", "alembic", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"alembic {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result


def upgrade_and_check(project: Path, url: str) -> None:
    alembic(project, url, "upgrade", "head")
    checked = alembic(project, url, "check")
    assert "No new upgrade operations detected" in checked.stdout + checked.stderr


def query(url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            result = connection.execute(text(sql), params)
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        engine.dispose()


VERSIONS: list[Callable[[Contract], None]] = [version_2, version_3, version_4, version_5]


@pytest.mark.xdist_group("migrations")
def test_five_contract_versions_migrate_keep_rows_and_round_trip(
    tmp_path: Path, database_url: str
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    scaffold(project)
    contract = version_1()

    assert write_and_generate(project, contract) == [
        "alembic/versions/0001_initial.contract.json",
        "alembic/versions/0001_initial.py",
    ]
    assert write_and_generate(project, contract) == [], "same contract: no new revision"
    upgrade_and_check(project, database_url)

    version_2(contract)
    created = write_and_generate(project, contract)
    assert [Path(p).name for p in created] == [
        "0002_alter_column_users_name_and_more.contract.json",
        "0002_alter_column_users_name_and_more.py",
    ]
    upgrade_and_check(project, database_url)
    user = "8f0e3c8a-2f53-4f43-9d2b-6a1c1c7a4c11"
    uuid_value = user if database_url.startswith("postgresql") else user.replace("-", "")
    query(
        database_url,
        "INSERT INTO users (id, email, name) VALUES (:id, 'ada@example.com', 'Ada')",
        id=uuid_value,
    )
    query(database_url, "INSERT INTO tasks (title, owner_id) VALUES ('write', :id)", id=uuid_value)
    query(database_url, "INSERT INTO tasks (owner_id) VALUES (:id)", id=uuid_value)
    columns = "role, title, status, done, priority"
    rows = query(database_url, f"SELECT {columns} FROM users, tasks ORDER BY title IS NULL, title")
    assert rows == [("USER", "write", "TODO", True, 0), ("USER", None, "TODO", True, 0)], (
        "server defaults filled the columns"
    )

    version_3(contract)
    migration = write_and_generate(project, contract)[1]
    source = (project / migration).read_text()
    assert 'op.rename_table("tasks", "todos")' in source
    assert (
        'alter_column(\n            "name",\n            new_column_name="display_name"' in source
    )
    assert "drop_column" not in source.split("def downgrade")[0], "a rename must not drop"
    upgrade_and_check(project, database_url)
    assert query(database_url, "SELECT email, display_name FROM users") == [
        ("ada@example.com", "Ada")
    ]
    assert query(database_url, "SELECT title, status FROM todos ORDER BY title IS NULL, title") == [
        ("write", "TODO"),
        (None, "TODO"),
    ]

    version_4(contract)
    migration = write_and_generate(project, contract)[1]
    source = (project / migration).read_text()
    assert "ADD VALUE IF NOT EXISTS 'BLOCKED' AFTER 'DONE'" in source
    upgrade_and_check(project, database_url)
    assert query(database_url, "SELECT title FROM todos ORDER BY title") == [
        ("untitled",),
        ("write",),
    ]
    query(database_url, "UPDATE todos SET status = 'IN_PROGRESS'")
    assert query(database_url, "SELECT DISTINCT status FROM todos") == [("IN_PROGRESS",)]

    version_5(contract)
    before = sorted(p.name for p in (project / "alembic/versions").iterdir())
    with pytest.raises(DestructiveChange) as refused:
        write_and_generate(project, contract)
    assert refused.value.losses == [
        "column users.email: values longer than 120 characters (was 255)",
        "column users.role: every value",
        "column users.bio: every value",
    ]
    assert sorted(p.name for p in (project / "alembic/versions").iterdir()) == before
    created = write_and_generate(project, contract, allow_destructive=True)
    assert len(created) == 2
    assert "USER_ROLE.drop(op.get_bind(), checkfirst=True)" in (project / created[1]).read_text()
    upgrade_and_check(project, database_url)
    assert query(database_url, "SELECT email, display_name FROM users") == [
        ("ada@example.com", "Ada")
    ]

    # Version 4's downgrade takes IN_PROGRESS out of the enum: PostgreSQL refuses while a row
    # holds it (the downgrade restores the schema, it cannot invent a value for the row).
    query(database_url, "UPDATE todos SET status = 'DONE'")
    alembic(project, database_url, "downgrade", "base")
    assert query(database_url, "SELECT count(*) FROM alembic_version") == [(0,)]
    upgrade_and_check(project, database_url)


@pytest.mark.xdist_group("migrations")
def test_the_example_migrates_and_its_models_create_on_both_databases(
    tmp_path: Path, database_url: str
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    scaffold(project)
    contract = json.loads(EXAMPLE_DB.read_text())
    assert write_and_generate(project, contract)[1] == "alembic/versions/0001_initial.py"
    upgrade_and_check(project, database_url)
    alembic(project, database_url, "downgrade", "base")

    create_all = (
        "from sqlalchemy import create_engine, inspect\n"
        "from src.models import Base, User, Task\n"
        "engine = create_engine(__import__('os').environ['DATABASE_URL'])\n"
        "Base.metadata.create_all(engine)\n"
        "print(sorted(inspect(engine).get_table_names()))\n"
    )
    env = {**os.environ, "DATABASE_URL": database_url}
    result = subprocess.run(
        [sys.executable, "-c", create_all], cwd=project, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == str(
        sorted(
            [
                "alembic_version",
                "comments",
                "project_members",
                "projects",
                "refresh_tokens",
                "tasks",
                "users",
            ]
        )
    )


def test_the_gates_round_trip_runs_in_one_process_and_fails_on_drift(tmp_path: Path) -> None:
    """``python -m tools.migrations`` (verify's migration step): upgrade head, check,
    downgrade base, upgrade head, each under its ``$ alembic`` line; with no migration
    for the models, check fails, the others still run, and it exits 1."""
    project = tmp_path / "project"
    project.mkdir()
    scaffold(project)
    migrations = write_and_generate(project, version_1())

    def round_trip(database: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / database}"}
        command = [sys.executable, "-m", "tools.migrations"]
        return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)

    passed = round_trip("fresh.db")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    steps = ["upgrade head", "check", "downgrade base", "upgrade head"]
    assert [line for line in passed.stdout.splitlines() if line.startswith("$ ")] == [
        f"$ alembic {step}" for step in steps
    ]
    assert "No new upgrade operations detected." in passed.stdout
    assert "Running downgrade" in passed.stderr

    for migration in migrations:
        (project / migration).unlink()
    drifted = round_trip("drifted.db")
    assert drifted.returncode == 1
    assert "FAILED: New upgrade operations detected" in drifted.stderr
    assert drifted.stderr.count("$ alembic ") == 4


@pytest.mark.xdist_group("migrations")
def test_reserved_and_mixed_case_names_survive_hand_written_sql(
    tmp_path: Path, database_url: str
) -> None:
    """Backfills, enum rebuilds and key renames are SQL the generator writes: quote right."""
    project = tmp_path / "project"
    project.mkdir()
    scaffold(project)
    contract: Contract = {
        "definitions": {
            "Kind": {"type": "string", "enum": ["A", "B"]},
            "Order": {
                "type": "object",
                "tableName": "order",
                "properties": {
                    "id": {"type": "integer", "primaryKey": True, "default": "autoincrement()"},
                    "group": {"$ref": "#/definitions/Kind", "default": "A"},
                    "noteText": {"type": ["string", "null"]},
                },
                "required": ["id", "group"],
            },
        }
    }
    write_and_generate(project, contract)
    upgrade_and_check(project, database_url)
    query(database_url, 'INSERT INTO "order" ("group") VALUES (\'B\')')

    definitions = contract["definitions"]
    definitions["Kind"]["enum"] = ["A", "C"]  # B goes: the type is rebuilt on PostgreSQL
    definitions["Order"]["tableName"] = "user"
    note = definitions["Order"]["properties"]["noteText"]
    note |= {"type": "string", "default": "none"}  # NOT NULL: backfilled
    query(database_url, 'UPDATE "order" SET "group" = \'A\'')
    write_and_generate(project, contract, allow_destructive=True)
    upgrade_and_check(project, database_url)
    assert query(database_url, 'SELECT "group", "noteText" FROM "user"') == [("A", "none")]
    alembic(project, database_url, "downgrade", "base")
    upgrade_and_check(project, database_url)
