"""Breaking API changes stop generation (generators/breaking.py): each kind is told from
its harmless counterpart, and ``generate`` writes nothing until one is accepted."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generators.breaking import compare
from generators.cli import EXIT_BREAKING, main
from generators.loading.openapi import load_api
from tests.helpers import EXAMPLE_API, EXAMPLE_DB, files_of

EXAMPLE: dict[str, Any] = yaml.safe_load(EXAMPLE_API.read_text())
Edit = Callable[[dict[str, Any]], None]


def changes_after(tmp_path: Path, edit: Edit) -> list[tuple[str, bool]]:
    edited = copy.deepcopy(EXAMPLE)
    edit(edited)
    path = tmp_path / "edited.yaml"
    path.write_text(yaml.safe_dump(edited))
    return [(str(c), c.breaking) for c in compare(load_api(EXAMPLE_API), load_api(path))]


def schema(document: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = document["components"]["schemas"][name]
    return found


def required_role(d: dict[str, Any]) -> None:
    d["paths"]["/users"]["get"]["parameters"][2]["required"] = True


def public_me(d: dict[str, Any]) -> None:
    d["paths"]["/auth/me"]["get"]["security"] = []


def secured_login(d: dict[str, Any]) -> None:
    d["paths"]["/auth/login"]["post"]["security"] = [{"bearerAuth": []}]


def created_as_200(d: dict[str, Any]) -> None:
    responses = d["paths"]["/projects"]["post"]["responses"]
    responses["200"] = responses.pop("201")


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda d: d["paths"].pop("/users"), [("GET /users: operation removed", True)]),
        (
            lambda d: d["paths"].__setitem__(
                "/ping", {"get": {"responses": {"204": {"description": "ok"}}}}
            ),
            [("GET /ping: operation added", False)],
        ),
        (required_role, [("GET /users: query parameter role now required", True)]),
        (
            lambda d: schema(d, "RegisterRequest")["required"].append("fullName"),
            [("POST /auth/register: body field fullName now required", True)],
        ),
        (
            lambda d: schema(d, "UserResponse")["properties"].pop("fullName"),
            [
                (f"{op}: answer field removed: fullName", True)
                for op in ("POST /auth/register", "GET /auth/me")
            ],
        ),
        (
            lambda d: schema(d, "RegisterRequest")["properties"]["fullName"].__setitem__(
                "maxLength", 60
            ),
            [("POST /auth/register: body field fullName: maxLength 120 → 60", True)],
        ),
        (
            lambda d: schema(d, "RegisterRequest")["properties"]["fullName"].__setitem__(
                "maxLength", 500
            ),
            [],
        ),
        (
            lambda d: schema(d, "TaskStatus")["enum"].remove("DONE"),
            [("GET /projects/{projectId}/tasks: query parameter status: enum values removed", True)]
            + [
                (f"{op}: body field status: enum values removed", True)
                for op in (
                    "PATCH /tasks/{taskId}",
                    "PUT /tasks/{taskId}",
                    "POST /projects/{projectId}/tasks",
                )
            ],
        ),
        (lambda d: schema(d, "TaskStatus")["enum"].append("BLOCKED"), []),
        (
            lambda d: schema(d, "UserResponse")["properties"]["isActive"].__setitem__(
                "type", "string"
            ),
            [
                (f"{op}: answer field isActive: type boolean → string", True)
                for op in ("POST /auth/register", "GET /auth/me")
            ],
        ),
        (created_as_200, [("POST /projects: success status 201 → 200", True)]),
        (public_me, [("GET /auth/me: now open to anonymous callers", False)]),
        (secured_login, [("POST /auth/login: now requires authentication", True)]),
    ],
)
def test_each_change_is_classified(
    tmp_path: Path, edit: Edit, expected: list[tuple[str, bool]]
) -> None:
    assert sorted(changes_after(tmp_path, edit)) == sorted(expected)


def test_numbers_may_widen_but_not_narrow(tmp_path: Path) -> None:
    def widen(d: dict[str, Any]) -> None:
        schema(d, "TaskCreate")["properties"]["estimateHours"]["type"] = [
            "number",
            "null",
            "string",
        ]

    def narrow(d: dict[str, Any]) -> None:
        schema(d, "TaskCreate")["properties"]["estimateHours"]["type"] = ["integer", "null"]

    assert changes_after(tmp_path, widen) == []
    assert changes_after(tmp_path, narrow) == [
        (
            "POST /projects/{projectId}/tasks: body field estimateHours: "
            "type number|null → integer|null",
            True,
        )
    ]


def test_generate_stops_on_a_breaking_change_until_it_is_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(EXAMPLE_API.read_text())
    out = tmp_path / "project"
    args = ["generate", "--openapi", str(spec), "--db-schema", str(EXAMPLE_DB), "--out", str(out)]
    assert main(args) == 0
    assert (out / "specs/schemas/openapi.snapshot.json").is_file()

    edited = copy.deepcopy(EXAMPLE)
    edited["paths"].pop("/users")
    schema(edited, "TaskStatus")["enum"].append("BLOCKED")
    spec.write_text(yaml.safe_dump(edited))
    before = files_of(out)
    capsys.readouterr()
    assert main(args) == EXIT_BREAKING
    errors = capsys.readouterr().err
    assert "  - GET /users: operation removed" in errors and "--accept-breaking" in errors
    assert files_of(out) == before  # nothing written

    assert main([*args, "--accept-breaking"]) == 0
    assert "breaking (accepted) GET /users: operation removed" in capsys.readouterr().out
    record = json.loads((out / ".truth/breaking_changes.json").read_text())
    assert record == [{"where": "GET /users", "what": "operation removed"}]
    assert main(args) == 0  # compared with the contract just generated from: nothing new
