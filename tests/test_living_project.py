"""A living project: the bundled example, its bodies filled, through twelve contract edits.

After each ``specfoundry generate`` the guarantees of a regeneration hold: the generator's
files are exactly what the contracts give (a second, dry run finds nothing to write, and
files of operations, tags and tables that left the contracts are gone); every service
function written before is there byte for byte; every operation has its function; those
whose operation left are reported orphaned; a migration appears exactly when the database
contract changed; the summary says all of it. At the end the project type-checks.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generators.cli import main
from generators.emit.services import plan_services
from generators.generate import generate
from generators.loading.openapi import load_api
from tests.helpers import EXAMPLE_API, EXAMPLE_DB, filled_deterministically

Json = dict[str, Any]
API, DB = "specs/openapi.yaml", "specs/database-schema.json"


def written(project: Path) -> dict[str, str]:
    """Every function of the service modules: "module.function" → its source."""
    found = {}
    for path in sorted((project / "src/services").glob("*.py")):
        text = path.read_text()
        for node in ast.parse(text).body:
            if isinstance(node, ast.FunctionDef):
                found[f"{path.stem}.{node.name}"] = ast.get_source_segment(text, node) or ""
    return found


def add_stats(api: Json, db: Json) -> None:
    """An operation in an existing tag, and the schema it answers with."""
    api["paths"]["/stats/projects"] = {
        "get": {
            "tags": ["projects"],
            "operationId": "projectStats",
            "responses": {"200": _json({"$ref": "#/components/schemas/ProjectStats"})},
        }
    }
    api["components"]["schemas"]["ProjectStats"] = {
        "type": "object",
        "required": ["total"],
        "properties": {"total": {"type": "integer", "minimum": 0}},
    }


def add_health(api: Json, db: Json) -> None:
    """A new tag with a public operation."""
    api["tags"].append({"name": "health", "description": "Liveness."})
    api["paths"]["/health"] = {
        "get": {
            "tags": ["health"],
            "operationId": "getHealth",
            "security": [],
            "responses": {
                "200": _json({"type": "object", "properties": {"ok": {"type": "boolean"}}})
            },
        }
    }


def filter_archived(api: Json, db: Json) -> None:
    """A parameter more under a filled body: its signature drifts."""
    parameters = api["paths"]["/projects"]["get"]["parameters"]
    parameters.append({"name": "archived", "in": "query", "schema": {"type": "boolean"}})


def rename_assign(api: Json, db: Json) -> None:
    operation = next(
        op
        for item in api["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and op.get("operationId") == "assignTask"
    )
    operation["operationId"] = "assignTaskToUser"


def rename_comments_tag(api: Json, db: Json) -> None:
    for tag in api["tags"]:
        if tag["name"] == "comments":
            tag["name"] = "discussion"
    for item in api["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and op.get("tags") == ["comments"]:
                op["tags"] = ["discussion"]


def drop_delete_project(api: Json, db: Json) -> None:
    del api["paths"]["/projects/{projectId}"]["delete"]


def project_color_in_api(api: Json, db: Json) -> None:
    color = {"type": ["string", "null"], "maxLength": 20}
    for schema in ("ProjectCreate", "ProjectUpdate"):
        api["components"]["schemas"][schema]["properties"]["color"] = color


def change_fields(api: Json, db: Json) -> None:
    """A field removed from a request, another retyped: schemas change, no signature does."""
    schemas = api["components"]["schemas"]
    del schemas["ProjectCreate"]["properties"]["description"]
    schemas["TaskCreate"]["properties"]["estimateHours"]["type"] = ["integer", "null"]


def project_color_in_db(api: Json, db: Json) -> None:
    db["definitions"]["Project"]["properties"]["color"] = {
        "type": ["string", "null"],
        "maxLength": 20,
    }


def add_labels_table(api: Json, db: Json) -> None:
    db["definitions"]["Label"] = {
        "type": "object",
        "tableName": "labels",
        "properties": {
            "id": {"type": "string", "format": "uuid", "primaryKey": True, "default": "uuid()"},
            "name": {"type": "string", "maxLength": 50, "unique": True},
        },
        "required": ["id", "name"],
    }


def drop_labels_table(api: Json, db: Json) -> None:
    del db["definitions"]["Label"]


def no_change(api: Json, db: Json) -> None:
    pass


def _json(schema: Json) -> Json:
    return {"description": "OK", "content": {"application/json": {"schema": schema}}}


Edit = Callable[[Json, Json], None]
# (edit, functions it adds, functions it orphans, whether the database contract changed)
SEQUENCE: list[tuple[Edit, set[str], set[str], bool]] = [
    (add_stats, {"projects.project_stats"}, set(), False),
    (add_health, {"health.get_health"}, set(), False),
    (filter_archived, set(), set(), False),
    (rename_assign, {"tasks.assign_task_to_user"}, {"tasks.assign_task"}, False),
    (
        rename_comments_tag,
        {
            "discussion.list_task_comments",
            "discussion.create_comment",
        },
        {"comments.list_task_comments", "comments.create_comment"},
        False,
    ),
    (drop_delete_project, set(), {"projects.delete_project"}, False),
    (project_color_in_api, set(), set(), False),
    (change_fields, set(), set(), False),
    (project_color_in_db, set(), set(), True),
    (add_labels_table, set(), set(), True),
    (drop_labels_table, set(), set(), True),
    (no_change, set(), set(), False),
]


def test_twelve_contract_edits_keep_every_guarantee(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    done = filled_deterministically(project, EXAMPLE_API, EXAMPLE_DB)
    assert len(done) == 19
    command = ["generate", "--openapi", str(project / API), "--db-schema", str(project / DB)]
    command += ["--out", str(project), "--accept-breaking", "--allow-destructive"]
    orphaned: set[str] = set()
    for number, (change, added, lost, database_changed) in enumerate(SEQUENCE, 1):
        step = f"step {number} ({change.__name__})"
        before = written(project)
        migrations = sorted((project / "alembic/versions").glob("*.py"))
        api = yaml.safe_load((project / API).read_text())
        db = json.loads((project / DB).read_text())
        change(api, db)
        (project / API).write_text(yaml.safe_dump(api, sort_keys=False, allow_unicode=True))
        (project / DB).write_text(json.dumps(db, indent=2) + "\n")

        capsys.readouterr()
        assert main(command) == 0, step
        out = capsys.readouterr()
        summary = next(line for line in out.out.splitlines() if "kept as written" in line)

        # The generator's files are exactly what the contracts give.
        again = generate(project / API, project / DB, project, dry_run=True, accept_breaking=True)
        assert not again.report.changed, (step, again.report)
        # Every function written before is there, byte for byte; new operations have stubs.
        after = written(project)
        assert {name: after.get(name) for name in before} == before, step
        assert set(after) - set(before) == added, step
        report = plan_services(load_api(project / API), project)
        assert report.missing == (), step
        orphaned |= lost
        assert set(report.orphaned) == orphaned, step
        assert f"{len(orphaned)} orphaned service function(s)" in summary, (step, summary)
        for name in lost:
            assert f"{name} is orphaned" in out.err, (step, out.err)
        # A migration exactly when the database contract changed.
        now = sorted((project / "alembic/versions").glob("*.py"))
        assert len(now) == len(migrations) + database_changed, step
        if database_changed:
            assert f"migration written: alembic/versions/{now[-1].name}" in summary, summary
        else:
            assert "no new migration" in summary, (step, summary)

        if change is add_stats:
            assert (
                "extended  src/services/projects.py (new stubs appended: project_stats)" in out.out
            )
        if change is add_health:
            assert "created   src/services/health.py" in out.out
            assert "created   src/api/v1/health.py" in out.out
        if change is filter_archived:
            assert (
                "signature changed: listProjects (GET /projects, src/services/projects.py "
                "list_projects): the route now passes archived: bool | None"
                in " ".join(out.err.split())
            )
            # The owner follows: the parameter joins the signature, the body stays.
            service = project / "src/services/projects.py"
            text = service.read_text()
            service.write_text(
                text.replace(
                    "    q: str | None,\n", "    q: str | None,\n    archived: bool | None,\n", 1
                )
            )
        # Only the step that moved a written body's signature warns (the owner follows it).
        assert ("signature changed" in out.err) == (change is filter_archived), step
        if change is rename_comments_tag:
            assert "removed   src/api/v1/comments.py" in out.out
            assert not (project / "src/api/v1/comments.py").exists()
            assert (project / "src/services/comments.py").exists()  # the user's, kept
        if change is drop_labels_table:
            assert "removed   src/models/label.py" in out.out
        if change is change_fields:
            schemas = (project / "specs/schemas/__init__.py").read_text()
            create = schemas[schemas.index("class ProjectCreate(") :]
            assert "description" not in create[: create.index("\nclass ")]
            assert re.search(r"estimate_hours: Annotated\[\s*int \| None", schemas)
        if change is no_change:
            assert "Nothing to write" in out.out and "0 created, 0 updated" in summary

    # The project as left: ruff and mypy --strict, as its own gate runs them.
    for check in (["ruff", "check", "."], ["ruff", "format", "--check", "."]):
        ran = subprocess.run(
            [sys.executable, "-m", *check], cwd=project, capture_output=True, text=True
        )
        assert ran.returncode == 0, ran.stdout + ran.stderr
    mypy = [
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--cache-dir",
        str(tmp_path / "mypy"),
        "src",
        "specs",
    ]
    ran = subprocess.run(mypy, cwd=project, capture_output=True, text=True)
    assert ran.returncode == 0, ran.stdout[-3000:]
    shutil.rmtree(tmp_path / "mypy")
