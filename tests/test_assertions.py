"""Assertions pydantic's types cannot say (``not``, ``if``/``then``/``else``,
``dependentRequired``, ``dependentSchemas``, ``contains``/``minContains``/``maxContains``)
are served as written and enforced (``generators/emit/assertions.py``). datamodel-code-
generator dropped them: the served schema said nothing of them and the app accepted what
the contract refuses."""

from __future__ import annotations

from pathlib import Path

from tests.test_fidelity import served_and_behaves

CONTRACT = r"""
openapi: 3.1.0
info: {title: Assertions, version: '1'}
paths:
  /payments:
    post:
      operationId: pay
      security: []
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Payment'}}}
      responses:
        '204': {description: Paid}
  /addresses:
    post:
      operationId: addAddress
      security: []
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Address'}}}
      responses:
        '204': {description: Added}
components:
  schemas:
    Payment:
      type: object
      properties:
        card: {type: string}
        billingAddress: {type: string}
        cvv: {type: string}
        hits:
          type: array
          items: {type: integer}
          contains: {minimum: 10}
          minContains: 1
          maxContains: 2
        user: {type: string, not: {enum: [root, admin]}}
      dependentRequired: {card: [billingAddress]}
      dependentSchemas: {card: {required: [cvv]}}
    Address:
      type: object
      required: [country]
      properties:
        country: {type: string}
        postcode: {type: string}
      if: {properties: {country: {const: US}}}
      then: {properties: {postcode: {pattern: '^\d{5}$'}}}
      else: {properties: {postcode: {pattern: '^[A-Z0-9 ]+$'}}}
"""

BEHAVIOUR = """\
from fastapi.testclient import TestClient

from src.main import create_app

client = TestClient(create_app())
accepted = [
    ("/payments", {}),
    ("/payments", {"card": "4111", "billingAddress": "Main St", "cvv": "123"}),
    ("/payments", {"hits": [1, 10, 12]}),
    ("/payments", {"user": "alice"}),
    ("/addresses", {"country": "US", "postcode": "12345"}),
    ("/addresses", {"country": "GB", "postcode": "SW1A 1AA"}),
]
refused = [
    ("/payments", {"card": "4111", "cvv": "123"}),  # dependentRequired
    ("/payments", {"card": "4111", "billingAddress": "Main St"}),  # dependentSchemas
    ("/payments", {"hits": [1, 2]}),  # minContains
    ("/payments", {"hits": [10, 11, 12]}),  # maxContains
    ("/payments", {"user": "root"}),  # not
    ("/addresses", {"country": "US", "postcode": "SW1A"}),  # then
    ("/addresses", {"country": "GB", "postcode": "sw1a"}),  # else
]
for path, body in accepted:
    assert client.post(path, json=body).status_code != 422, (path, body)
for path, body in refused:
    answer = client.post(path, json=body)
    assert answer.status_code == 422, (path, body, answer.status_code)
"""


def test_assertions_are_served_and_enforced(tmp_path: Path) -> None:
    served_and_behaves(tmp_path, CONTRACT, "2/2", BEHAVIOUR)
