"""``null`` in an ``enum`` beside a ``type`` list with ``"null"`` (``type: [string, "null"],
enum: [a, b, null]``: a 3.1 nullable enum, as generated contracts write it) is served as
the contract says, and the app accepts exactly ``a``, ``b`` and null (it was an ``Enum``
with a ``None`` member beside ``None``, served as ``enum: [a, b, null]`` or null)."""

from __future__ import annotations

from pathlib import Path

from tests.test_fidelity import served_and_behaves

CONTRACT = """\
openapi: 3.1.0
info: {title: Nullable enums, version: '1'}
paths:
  /choices:
    post:
      operationId: postChoice
      security: []
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Choice'}}}
      responses:
        '204': {description: Taken}
components:
  schemas:
    Choice:
      type: object
      properties:
        maybe: {type: [string, 'null'], enum: [a, b, null]}
        level: {type: [integer, 'null'], enum: [1, 2, null]}
"""

BEHAVIOUR = """\
from fastapi.testclient import TestClient

from src.main import create_app

client = TestClient(create_app())
for body in ({"maybe": None}, {"maybe": "a"}, {"level": None}, {"level": 2}):
    assert client.post("/choices", json=body).status_code != 422, body
for body in ({"maybe": "c"}, {"level": 3}, {"maybe": "None"}):
    assert client.post("/choices", json=body).status_code == 422, body
"""


def test_null_in_enum_and_type_is_served_and_accepted(tmp_path: Path) -> None:
    served_and_behaves(tmp_path, CONTRACT, "1/1", BEHAVIOUR)


NO_VALUE = """\
openapi: 3.1.0
info: {title: Empty enums, version: '1'}
paths:
  /requests/{id}:
    patch:
      operationId: patchRequest
      security: []
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                action:
                  type: string
                  description: Whether to approve or reject
                  enum: []
                  allOf: [{$ref: '#/components/schemas/Status'}]
                reason: {type: [string, 'null'], maxLength: 10}
      responses:
        '204': {description: Changed}
components:
  schemas:
    Status: {type: string, enum: [APPROVED, REJECTED]}
"""

NO_VALUE_BEHAVIOUR = """\
from fastapi.testclient import TestClient

from src.main import create_app

client = TestClient(create_app())
assert client.patch("/requests/1", json={"reason": "late"}).status_code != 422
for action in ("APPROVED", "OTHER"):
    assert client.patch("/requests/1", json={"action": action}).status_code == 422, action
"""


def test_an_empty_enum_is_served_and_admits_no_value(tmp_path: Path) -> None:
    """Discord's join-request action: ``enum: []`` beside an ``allOf`` of an enum. JSON
    Schema 2020-12 allows an empty ``enum`` (it SHOULD have an item) and no value is
    valid against it: the property can only be left out. It was served as the referenced
    enum's values and accepted them; ``specfoundry check`` warns about it as a smell."""
    served_and_behaves(tmp_path, NO_VALUE, "1/1", NO_VALUE_BEHAVIOUR)
