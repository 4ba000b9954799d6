"""A body that is a ``$ref`` to a nullable component (DigitalOcean's
``database_maintenance_window``: an object, ``nullable: true``) admits null and is
served so: the component's class serves no null (a property holding it admits null
itself), so the body was served as the class alone and refused ``null``."""

from __future__ import annotations

from pathlib import Path

import pytest

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


# A nullable component used whole as a response's (or a request's) body, of each kind
# (array, object, scalar) and each spelling of its nullability: the route's type is the
# component's class, or what a plain alias stands for (an array, a scalar), neither of
# which serves null, so a success was served without it (``nullable true != absent``) and
# a service's None refused. An error response's schema, written out, names the class too.
_PATHS = """\
paths:
  /things:
    get:
      operationId: getThings
      security: []
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Things'}
        '404':
          description: missing
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
    put:
      operationId: putThings
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Things'}
      responses:
        '204': {description: done}
  /thing:
    get:
      operationId: getThing
      security: []
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
    put:
      operationId: putThing
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
      responses:
        '204': {description: done}
  /name:
    get:
      operationId: getName
      security: []
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Name'}
    put:
      operationId: putName
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Name'}
      responses:
        '204': {description: done}
  /tags:
    put:
      operationId: putTags
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Tags'}
      responses:
        '204': {description: done}
"""

_TAGS = """\
    Tags:
      type: array
      items: {type: string}
"""

NULLABLE_COMPONENTS = {
    "3.0": """\
openapi: 3.0.3
info: {title: Nullable components as bodies, version: '1'}
"""
    + _PATHS
    + """\
components:
  schemas:
    Things:
      type: array
      nullable: true
      items: {type: string}
      uniqueItems: true
      maxItems: 3
    Thing:
      type: object
      nullable: true
      required: [id]
      properties:
        id: {type: string}
    Name:
      type: string
      nullable: true
      maxLength: 10
"""
    + _TAGS,
    "3.1 type list": """\
openapi: 3.1.0
info: {title: Nullable components as bodies, version: '1'}
"""
    + _PATHS
    + """\
components:
  schemas:
    Things:
      type: [array, 'null']
      items: {type: string}
      uniqueItems: true
      maxItems: 3
    Thing:
      type: [object, 'null']
      required: [id]
      properties:
        id: {type: string}
    Name:
      type: [string, 'null']
      maxLength: 10
"""
    + _TAGS,
    "3.1 anyOf": """\
openapi: 3.1.0
info: {title: Nullable components as bodies, version: '1'}
"""
    + _PATHS
    + """\
components:
  schemas:
    Things:
      anyOf:
        - {type: array, items: {type: string}, uniqueItems: true, maxItems: 3}
        - {type: 'null'}
    Thing:
      anyOf:
        - type: object
          required: [id]
          properties:
            id: {type: string}
        - {type: 'null'}
    Name:
      anyOf:
        - {type: string, maxLength: 10}
        - {type: 'null'}
"""
    + _TAGS,
}

NULL_ANSWERED_AND_ACCEPTED = """\
import logging

from fastapi import HTTPException
from fastapi.testclient import TestClient

import src.services.default as service
from src.main import create_app

logging.disable(logging.CRITICAL)
client = TestClient(create_app(), raise_server_exceptions=False)
json = {"content-type": "application/json"}
received = []
for name in ("things", "thing", "name"):
    setattr(service, f"get_{name}", lambda **_: None)
    setattr(service, f"put_{name}", lambda **given: received.append(given["body"]))
    got = client.get(f"/{name}")
    assert (got.status_code, got.content) == (200, b"null"), (name, got.text)
    put = client.put(f"/{name}", content="null", headers=json)
    assert put.status_code == 204, (name, put.text)
    assert getattr(received[-1], "root", received[-1]) is None, received  # a RootModel's
    assert client.put(f"/{name}").status_code == 422, name
for good, bad in ((["a"], ["a", "a"]), (["a"], ["a", "b", "c", "d"])):
    assert client.put("/things", json=good).status_code == 204
    assert client.put("/things", json=bad).status_code == 422, bad
assert client.put("/thing", json={"id": "a"}).status_code == 204
assert client.put("/thing", json={}).status_code == 422
assert client.put("/name", json="a" * 10).status_code == 204
assert client.put("/name", json="a" * 11).status_code == 422
service.get_things = lambda **_: ["x"]
assert client.get("/things").json() == ["x"]
service.get_name = lambda **_: "a" * 11
assert client.get("/name").status_code == 500  # the contract's maxLength holds
service.put_tags = lambda **_: None
assert client.put("/tags", content="null", headers=json).status_code == 422
assert client.put("/tags", json=["a"]).status_code == 204


def missing(**_: object) -> None:
    raise HTTPException(404, "none")


service.get_things = missing
assert client.get("/things").status_code == 404
"""


@pytest.mark.parametrize("spelling", sorted(NULLABLE_COMPONENTS))
def test_a_nullable_component_is_a_body_or_null(tmp_path: Path, spelling: str) -> None:
    served_and_behaves(tmp_path, NULLABLE_COMPONENTS[spelling], "7/7", NULL_ANSWERED_AND_ACCEPTED)
