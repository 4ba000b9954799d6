"""``uniqueItems`` served and enforced wherever the contract puts it, not only on an array
property: a component array, a member of an ``anyOf``/``oneOf`` (prefect's nullable
``pause_keys``, Discord's ``include_roles``), an array's items (also of items), a map's
values, a request body and a response; the items compared as sent (an object's model
drops the properties it does not name); and a member's class serves no default its
schema does not say (prefect's ``enabled``)."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.helpers import run_in_project
from tests.test_fidelity import run_check, scaffold

CONTRACT = """\
openapi: 3.1.0
info: {title: Unique, version: '1'}
paths:
  /tags:
    post:
      operationId: tagThings
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: array, items: {type: string}, uniqueItems: true, maxItems: 5}
      responses:
        '200':
          description: The tags
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Tags'}
  /policies:
    post:
      operationId: createPolicy
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Policy'}
      responses:
        '201':
          description: Created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Policy'}
  /codes:
    get:
      operationId: listCodes
      responses:
        '200':
          description: The codes
          content:
            application/json:
              schema:
                type: array
                uniqueItems: true
                minItems: 1
                items: {type: object, properties: {code: {type: integer}}}
components:
  schemas:
    Tags: {type: array, items: {type: string}, uniqueItems: true}
    Rows:
      type: array
      uniqueItems: true
      items: {type: object, required: [code], properties: {code: {type: integer}}}
    Scores:
      type: object
      additionalProperties: {type: array, items: {type: number}, uniqueItems: true}
    Policy:
      type: object
      properties:
        pause_keys:
          anyOf:
            - {type: array, items: {type: string}, uniqueItems: true}
            - {type: 'null'}
        roles:
          oneOf:
            - {type: string}
            - {type: array, items: {type: string}, uniqueItems: true, maxItems: 3}
            - {type: 'null'}
        enabled:
          anyOf:
            - {type: array, items: {type: string}, uniqueItems: true}
            - {type: boolean}
            - {type: 'null'}
          default: [events]
        grid:
          type: array
          items: {type: array, items: {type: integer}, uniqueItems: true}
        byName:
          type: object
          additionalProperties: {type: array, items: {type: integer}, uniqueItems: true}
        tags: {$ref: '#/components/schemas/Tags'}
        scores: {$ref: '#/components/schemas/Scores'}
        plain: {type: array, items: {type: string}, uniqueItems: true}
"""

BEHAVIOUR = """\
from fastapi.testclient import TestClient
from pydantic import ValidationError

from specs.schemas import Policy, Rows, Scores, Tags
from src.main import app


def refused(model, data):
    try:
        model.model_validate(data)
    except ValidationError as error:
        return "items must be unique" in str(error)
    return False


for name, duplicated, distinct in (
    ("pause_keys", ["a", "a"], ["a", "b"]),
    ("roles", ["a", "a"], ["a", "b"]),
    ("enabled", ["x", "x"], ["x", "y"]),
    ("grid", [[1, 2], [3, 1, 3]], [[1, 2], [1, 2]]),  # the inner lists, not the outer
    ("byName", {"a": [1, 1]}, {"a": [1], "b": [1]}),
    ("tags", ["t", "t"], ["t", "u"]),
    ("scores", {"a": [1, 1.0]}, {"a": [1, 1.5]}),  # 1 and 1.0 are one JSON value
    ("plain", ["p", "p"], ["p"]),
):
    assert refused(Policy, {name: duplicated}), name
    assert not refused(Policy, {name: distinct}), name
assert not refused(Policy, {"pause_keys": None, "roles": "a,a", "enabled": True})
assert refused(Tags, ["a", "a"]) and refused(Scores, {"k": [2, 2]})
# the items as sent: their model would drop the properties it does not name
assert refused(Rows, [{"code": 1}, {"code": 1}])
assert not refused(Rows, [{"code": 1, "x": 1}, {"code": 1, "x": 2}])

# served: uniqueItems where each array is, no default on the member's class
document = app.openapi()
schemas = document["components"]["schemas"]


def resolved(node):
    while "$ref" in node:
        node = schemas[node["$ref"].rsplit("/", 1)[1]]
    return node


def member(node):
    arrays = [resolved(m) for m in node.get("anyOf", node.get("oneOf", [node]))]
    return next(m for m in arrays if m.get("type") == "array")


policy = schemas["Policy"]["properties"]
for name in ("pause_keys", "roles", "enabled"):
    assert member(policy[name]).get("uniqueItems") is True, (name, policy[name])
enabled = member(policy["enabled"])
assert "default" not in enabled, enabled
assert policy["enabled"]["default"] == ["events"]
assert resolved(policy["grid"]["items"])["uniqueItems"] is True
assert resolved(policy["byName"]["additionalProperties"])["uniqueItems"] is True
assert resolved(policy["tags"])["uniqueItems"] is True
assert resolved(schemas["Scores"]["additionalProperties"])["uniqueItems"] is True
tags = document["paths"]["/tags"]["post"]
body = tags["requestBody"]["content"]["application/json"]["schema"]
assert body["uniqueItems"] is True and body["maxItems"] == 5, body
codes = document["paths"]["/codes"]["get"]["responses"]["200"]["content"]
assert codes["application/json"]["schema"]["uniqueItems"] is True, codes

# enforced on the wire: a body with a duplicate is refused before the service runs
client = TestClient(app)
response = client.post("/tags", json=["a", "a"])
assert response.status_code == 422, response.text
response = client.post("/policies", json={"pause_keys": ["k", "k"]})
assert response.status_code == 422, response.text
"""


def test_unique_items_are_served_and_enforced_in_every_position(tmp_path: Path) -> None:
    contract = tmp_path / "openapi.yaml"
    contract.write_text(CONTRACT, encoding="utf-8")
    project = tmp_path / "project"
    scaffold(project, contract, None)
    figure, remaining = run_check(project)
    assert remaining == []
    assert figure == "3/3"
    behaviour = run_in_project([sys.executable, "-c", BEHAVIOUR], project)
    assert behaviour.returncode == 0, behaviour.stderr
    for command in (
        ["ruff", "check", "specs", "src"],
        ["ruff", "format", "--check", "specs", "src"],
        ["mypy", "--strict", "specs", "src"],
    ):
        result = run_in_project([sys.executable, "-m", *command], project)
        assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"
