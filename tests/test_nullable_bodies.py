"""A body that is a ``$ref`` to a nullable component (DigitalOcean's
``database_maintenance_window``: an object, ``nullable: true``) admits null and is
served so: the component's class serves no null (a property holding it admits null
itself), so the body was served as the class alone and refused ``null``."""

from __future__ import annotations

from pathlib import Path

from tests.test_fidelity import served_and_behaves

CONTRACT = """\
openapi: 3.0.0
info: {title: Nullable body, version: '1'}
paths:
  /window:
    put:
      operationId: putWindow
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/window'}
      responses:
        '204': {description: done}
  /optional-window:
    put:
      operationId: putOptionalWindow
      security: []
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/window'}
      responses:
        '204': {description: done}
components:
  schemas:
    window:
      type: object
      nullable: true
      required: [day]
      properties:
        day: {type: string}
"""

BEHAVIOUR = """\
from fastapi.testclient import TestClient

from src.main import create_app

client = TestClient(create_app())
json = {"content-type": "application/json"}
for path in ("/window", "/optional-window"):
    assert client.put(path, content="null", headers=json).status_code != 422, path
    assert client.put(path, json={"day": "monday"}).status_code != 422, path
    assert client.put(path, json={}).status_code == 422, path
    assert client.put(path, json={"day": 1}).status_code == 422, path
assert client.put("/window").status_code == 422
"""


def test_a_body_referencing_a_nullable_component_admits_null(tmp_path: Path) -> None:
    served_and_behaves(tmp_path, CONTRACT, "2/2", BEHAVIOUR)
