"""OpenAPI Overlay 1.0 documents applied at load (``generators/loading/overlay.py``): the
actions' semantics, the problems they report (file, line, pointer), and what generation
makes of an overlay (``specs/openapi.overlaid.yaml``, ``generate --check``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from generators.cli import main
from generators.generate import generate
from generators.loading.document import parse_document
from generators.loading.openapi import load_api, read_api
from generators.loading.overlay import apply_overlay, load_overlay
from generators.loading.project import load_project
from generators.problems import ContractError, Problem

CONTRACT = """\
openapi: 3.1.0
info: {title: Notes, version: '1.0'}
security: [{bearerAuth: []}]
tags: [{name: auth}]
paths:
  /auth/login:
    post:
      operationId: login
      tags: [auth]
      parameters:
        - {name: trace, in: header, schema: {type: string}}
        - {name: dummy, in: query, schema: {type: string}}
        - {name: other, in: query, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Credentials'}
      responses:
        '200':
          description: Signed in
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Token'}
  /notes:
    get:
      operationId: listNotes
      summary: Notes
      responses:
        '200': {description: The notes}
components:
  securitySchemes:
    bearerAuth: {type: http, scheme: bearer, bearerFormat: JWT}
  schemas:
    Credentials:
      type: object
      required: [email, password]
      properties:
        email: {type: string, format: email}
        password: {type: string}
    Token:
      type: object
      required: [accessToken]
      properties:
        accessToken: {type: string}
"""


def _overlay(*actions: dict[str, Any]) -> str:
    document = {"overlay": "1.0.0", "info": {"title": "fixes", "version": "1"}}
    return yaml.safe_dump({**document, "actions": list(actions)}, sort_keys=False)


def _applied(*actions: dict[str, Any]) -> tuple[Any, list[Problem]]:
    contract = parse_document(CONTRACT, "specs/openapi.yaml")
    overlay = parse_document(_overlay(*actions), "specs/overlay.yaml")
    document, warnings = apply_overlay(contract, overlay)
    return document.data, warnings


def _files(tmp_path: Path, *actions: dict[str, Any], overlay: str | None = None) -> Path:
    (tmp_path / "openapi.yaml").write_text(CONTRACT, encoding="utf-8")
    path = tmp_path / "overlay.yaml"
    path.write_text(overlay if overlay is not None else _overlay(*actions), encoding="utf-8")
    return path


LOGIN = "$.paths.*[?@.operationId=='login']"


# --- applying -----------------------------------------------------------------------------


def test_update_merges_objects_replaces_primitives_and_concatenates_arrays() -> None:
    data, warnings = _applied(
        {
            "target": "$",
            "update": {
                "info": {"title": "Notes (overlaid)", "x-logo": {"url": "logo.png"}},
                "tags": [{"name": "notes"}],
                "paths": {"/notes": {"get": {"x-crud": {"table": "Note", "action": "list"}}}},
            },
        },
        {"target": "$.paths['/notes'].get", "update": {"summary": "All notes"}},
    )
    assert warnings == []
    assert data["info"] == {
        "title": "Notes (overlaid)",
        "version": "1.0",
        "x-logo": {"url": "logo.png"},
    }
    assert data["tags"] == [{"name": "auth"}, {"name": "notes"}]  # appended, not replaced
    listing = data["paths"]["/notes"]["get"]
    assert listing["summary"] == "All notes"
    assert listing["x-crud"] == {"table": "Note", "action": "list"}
    assert listing["operationId"] == "listNotes"  # what the update does not name stays


def test_update_of_an_array_appends_one_entry() -> None:
    data, _ = _applied(
        {
            "target": "$.paths['/auth/login'].post.parameters",
            "update": {"name": "locale", "in": "query", "schema": {"type": "string"}},
        }
    )
    names = [p["name"] for p in data["paths"]["/auth/login"]["post"]["parameters"]]
    assert names == ["trace", "dummy", "other", "locale"]


def test_a_filter_target_selects_the_operation_by_its_operation_id() -> None:
    data, warnings = _applied({"target": LOGIN, "update": {"security": [], "x-auth": "login"}})
    assert warnings == []
    login = data["paths"]["/auth/login"]["post"]
    assert login["security"] == [] and login["x-auth"] == "login"
    assert "security" not in data["paths"]["/notes"]["get"]


def test_remove_takes_every_selected_node_out_of_its_object_or_array() -> None:
    data, _ = _applied(
        {"target": "$.paths.*.post.parameters[?@.in == 'query']", "remove": True},
        {"target": "$.components.schemas.Token.properties.accessToken", "remove": True},
        {"target": "$.paths['/notes']", "remove": True},
    )
    parameters = data["paths"]["/auth/login"]["post"]["parameters"]
    assert [p["name"] for p in parameters] == ["trace"]  # both query ones, side by side
    assert data["components"]["schemas"]["Token"]["properties"] == {}
    assert list(data["paths"]) == ["/auth/login"]


def test_actions_apply_in_order_each_to_the_result_of_the_one_before() -> None:
    remove = {"target": "$.paths['/auth/login'].post.parameters", "remove": True}
    add = {"target": "$.paths['/auth/login'].post", "update": {"parameters": [{"name": "x"}]}}
    data, _ = _applied(remove, add)
    assert data["paths"]["/auth/login"]["post"]["parameters"] == [{"name": "x"}]
    data, _ = _applied(add, remove)
    assert "parameters" not in data["paths"]["/auth/login"]["post"]
    # A later action sees what an earlier one added.
    data, warnings = _applied(
        {"target": "$.paths['/notes'].get", "update": {"x-auth": "me"}},
        {"target": "$.paths.*[?@['x-auth'] == 'me']", "update": {"summary": "Me"}},
    )
    assert warnings == [] and data["paths"]["/notes"]["get"]["summary"] == "Me"


def test_the_contract_document_itself_is_left_as_it_was() -> None:
    contract = parse_document(CONTRACT, "specs/openapi.yaml")
    overlay = parse_document(_overlay({"target": "$.paths", "remove": True}), "o.yaml")
    apply_overlay(contract, overlay)
    assert "/notes" in contract.data["paths"]


def test_a_target_that_selects_nothing_is_a_warning_naming_the_action() -> None:
    data, warnings = _applied(
        {"target": "$.paths['/gone'].get", "update": {"x-auth": "me"}},
        {"target": LOGIN, "update": {"x-auth": "login"}},
    )
    assert data["paths"]["/auth/login"]["post"]["x-auth"] == "login"  # the others still apply
    assert [(w.file, w.pointer, w.line, w.severity) for w in warnings] == [
        ("specs/overlay.yaml", "/actions/0/target", 6, "warning")
    ]
    assert "selects nothing in specs/openapi.yaml" in warnings[0].message


def test_strict_makes_a_target_that_selects_nothing_an_error(tmp_path: Path) -> None:
    overlay = _files(tmp_path, {"target": "$.paths['/gone']", "remove": True})
    api, warnings = read_api(tmp_path / "openapi.yaml", overlay=overlay)
    assert [w.pointer for w in warnings if w.file == str(overlay)] == ["/actions/0/target"]
    with pytest.raises(ContractError):
        load_project(tmp_path / "openapi.yaml", None, overlay=overlay, strict=True)


# --- loading -------------------------------------------------------------------------------


def test_the_loaded_contract_is_the_overlaid_one(tmp_path: Path) -> None:
    overlay = _files(tmp_path, {"target": LOGIN, "update": {"security": [], "x-auth": "login"}})
    plain = {op.operation_id: op for op in load_api(tmp_path / "openapi.yaml").operations}
    assert not plain["login"].is_public
    api = load_api(tmp_path / "openapi.yaml", overlay=overlay)
    login = {op.operation_id: op for op in api.operations}["login"]
    assert login.is_public and login.extensions["x-auth"] == "login"
    assert api.overlaid is not None
    assert api.overlaid["paths"]["/auth/login"]["post"]["security"] == []


# --- problems ------------------------------------------------------------------------------


def _problems(tmp_path: Path, text: str) -> list[tuple[str, str, int | None]]:
    overlay = _files(tmp_path, overlay=text)
    with pytest.raises(ContractError) as raised:
        load_project(tmp_path / "openapi.yaml", None, overlay=overlay)
    return [(Path(p.file).name, p.pointer, p.line) for p in raised.value.problems]


def test_an_invalid_overlay_names_the_file_the_pointer_and_what_is_wrong(tmp_path: Path) -> None:
    text = """\
overlay: 1.1.0
info: {title: fixes}
actons: []
actions:
  - target: paths.login
    update: {security: []}
  - target: $.info
    remove: 'yes'
"""
    overlay = _files(tmp_path, overlay=text)
    with pytest.raises(ContractError) as raised:
        load_overlay(overlay)
    found = {(p.pointer, p.line): p.message for p in raised.value.problems}
    assert all(p.file == str(overlay) for p in raised.value.problems)
    assert found[("/overlay", 1)] == "expected an Overlay 1.0.x document, found overlay: '1.1.0'"
    assert found[("/info", 2)] == "'version' is a required property"
    assert found[("/actons", 3)] == "unknown key 'actons' (did you mean 'actions'?)"
    assert found[("/actions/0/target", 5)].startswith(
        "'paths.login' is not an RFC 9535 JSONPath query"
    )
    assert found[("/actions/1/remove", 8)] == "'yes' is not of type 'boolean'"
    assert len(found) == 5


def test_an_action_that_cannot_apply_names_its_pointer(tmp_path: Path) -> None:
    text = _overlay(
        {"target": "$.info", "update": {"title": {"text": "Notes"}}},
        {"target": "$.info.title", "update": "Notes"},
        {"target": "$", "remove": True},
        {"target": "$.paths", "update": ["not", "an", "object"]},
    )
    assert _problems(tmp_path, text) == [
        ("overlay.yaml", "/actions/0/update/title", 8),
        ("overlay.yaml", "/actions/1/target", 10),
        ("overlay.yaml", "/actions/2/target", 12),
        ("overlay.yaml", "/actions/3/update", 15),
    ]


def test_an_invalid_result_names_the_action_that_made_it(tmp_path: Path) -> None:
    """What the contract's validation finds in a part an action added is named in the
    overlay (its file, the pointer of the action's update there and its line)."""
    text = """\
overlay: 1.0.0
info: {title: fixes, version: '1'}
actions:
  - target: $.paths['/notes'].get
    update:
      responses:
        '404': {content: {}}
"""
    overlay = _files(tmp_path, overlay=text)
    with pytest.raises(ContractError) as raised:
        load_project(tmp_path / "openapi.yaml", None, overlay=overlay)
    [problem] = raised.value.problems
    assert (problem.file, problem.pointer, problem.line) == (
        str(overlay),
        "/actions/0/update/responses/404",
        7,
    )
    assert problem.message == "'description' is a required property"


def test_the_command_exits_2_naming_the_problem_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    overlay = _files(tmp_path, {"target": "$.info.title", "update": "Notes"})
    out = tmp_path / "project"
    code = main(
        ["generate", "--openapi", str(tmp_path / "openapi.yaml"), "--overlay", str(overlay)]
        + ["--out", str(out)]
    )
    assert code == 2
    assert f"{overlay}:6 /actions/0/target: selects a string at /info/title" in " ".join(
        capsys.readouterr().err.split()
    )
    assert not out.exists()


# --- generation ----------------------------------------------------------------------------


def test_generation_writes_the_overlaid_contract_and_notices_overlay_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    overlay = _files(tmp_path, {"target": LOGIN, "update": {"security": []}})
    out = tmp_path / "project"
    contract = str(tmp_path / "openapi.yaml")
    generate(Path(contract), None, out, overlay=overlay)
    written = (out / "specs/openapi.overlaid.yaml").read_text(encoding="utf-8")
    assert written.startswith("# Generated from specs/openapi.yaml by Spec Foundry")
    assert yaml.safe_load(written)["paths"]["/auth/login"]["post"]["security"] == []
    test_contract = (out / "tests/test_contract.py").read_text(encoding="utf-8")
    assert 'ROOT / "specs/openapi.overlaid.yaml"' in test_contract

    check = ["generate", "--openapi", contract, "--overlay", str(overlay), "--out", str(out)]
    assert main([*check, "--check"]) == 0
    overlay.write_text(
        _overlay({"target": LOGIN, "update": {"security": [], "summary": "Sign in"}}),
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main([*check, "--check"]) == 1  # only the overlay changed
    assert "stale: specs/openapi.overlaid.yaml" in capsys.readouterr().err

    # Without the overlay, the overlaid contract is the generator's to remove.
    assert main(["generate", "--openapi", contract, "--out", str(out), "--check"]) == 1
    generate(Path(contract), None, out, accept_breaking=True)  # login is no longer public
    assert not (out / "specs/openapi.overlaid.yaml").exists()
    test_contract = (out / "tests/test_contract.py").read_text(encoding="utf-8")
    assert 'ROOT / "specs/openapi.yaml"' in test_contract
    assert "overlaid" not in test_contract


def test_status_and_fill_read_the_projects_overlay(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``specfoundry status`` (like ``fill``) applies ``specs/overlay.yaml`` of the project
    by default: an operation the overlay adds is one of the contract's, its stub unfilled."""
    project = tmp_path / "project"
    (project / "specs").mkdir(parents=True)
    (project / "specs/openapi.yaml").write_text(CONTRACT, encoding="utf-8")
    added = {"get": {"operationId": "health", "responses": {"204": {"description": "Up"}}}}
    (project / "specs/overlay.yaml").write_text(
        _overlay({"target": "$.paths", "update": {"/health": added}}), encoding="utf-8"
    )
    generate(project / "specs/openapi.yaml", None, project, overlay=project / "specs/overlay.yaml")
    assert "def health(" in (project / "src/services/default.py").read_text(encoding="utf-8")
    status = ["status", "--openapi", str(project / "specs/openapi.yaml"), "--out", str(project)]
    capsys.readouterr()
    assert main(status) == 1  # the stubs are unfilled
    shown = capsys.readouterr().out
    assert "unfilled  default.health" in shown and ", 0 orphaned" in shown
    (project / "specs/overlay.yaml").unlink()
    main(status)
    assert "orphaned  default.health" in capsys.readouterr().out
