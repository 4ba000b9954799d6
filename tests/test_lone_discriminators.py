"""A ``discriminator`` beside no ``oneOf``/``anyOf`` (openai's code interpreter
``outputs``: beside an array, in the non-null member of a nullable ``anyOf``, its items
carrying their own) is served where the contract writes it: beside an array property,
a map, a ``$ref``, an array's items, in a nullable member, in a member of an ``allOf``
beside a base, on a component array (a ``RootModel``, or a plain alias a route types by
what it stands for) and on an inline body. It validates nothing, and nothing changes
what the app accepts; datamodel-code-generator dropped it, so the served schema lacked
it. ``specfoundry check`` warns where it stands beside a type that is not ``object``."""

from __future__ import annotations

from pathlib import Path

from tests.test_fidelity import served_and_behaves

CONTRACT = """\
openapi: 3.1.0
info: {title: Lone discriminators, version: '1'}
paths:
  /calls:
    post:
      operationId: call
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Call'}
      responses:
        '200':
          description: the outputs
          content:
            application/json:
              schema: {$ref: '#/components/schemas/OutputList'}
  /outputs:
    post:
      operationId: outputs
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: array
              items: {$ref: '#/components/schemas/Output'}
              discriminator: {propertyName: type}
      responses:
        '200':
          description: the outputs, or none
          content:
            application/json:
              schema: {$ref: '#/components/schemas/MaybeOutputs'}
components:
  schemas:
    Logs:
      type: object
      properties:
        type: {type: string, enum: [logs]}
        logs: {type: string}
      required: [type, logs]
    Image:
      type: object
      properties:
        type: {type: string, enum: [image]}
        url: {type: string}
      required: [type, url]
    Output:
      oneOf:
        - $ref: '#/components/schemas/Logs'
        - $ref: '#/components/schemas/Image'
      discriminator: {propertyName: type}
    OutputList:
      type: array
      items: {$ref: '#/components/schemas/Output'}
      discriminator: {propertyName: type}
    MaybeOutputs:
      anyOf:
        - type: array
          items: {$ref: '#/components/schemas/Output'}
          discriminator: {propertyName: type}
        - type: 'null'
    Call:
      type: object
      properties:
        outputs:
          anyOf:
            - type: array
              items:
                oneOf:
                  - $ref: '#/components/schemas/Logs'
                  - $ref: '#/components/schemas/Image'
                discriminator: {propertyName: type}
              discriminator: {propertyName: type}
              description: The outputs, or null.
            - type: 'null'
        plain:
          type: array
          items: {$ref: '#/components/schemas/Output'}
          discriminator: {propertyName: type}
        by_name:
          type: object
          additionalProperties: {$ref: '#/components/schemas/Output'}
          discriminator: {propertyName: type}
        logs:
          $ref: '#/components/schemas/Logs'
          discriminator: {propertyName: type}
        listed:
          type: array
          items:
            $ref: '#/components/schemas/Logs'
            discriminator: {propertyName: type}
        saved: {$ref: '#/components/schemas/OutputList'}
        tagged: {$ref: '#/components/schemas/Tagged'}
      required: [outputs]
    Tagged:
      allOf:
        - $ref: '#/components/schemas/Logs'
        - type: object
          properties:
            outputs:
              type: array
              items: {$ref: '#/components/schemas/Output'}
              discriminator: {propertyName: type}
"""

BEHAVIOUR = """\
from fastapi.testclient import TestClient

from src.main import create_app

app = create_app()
client = TestClient(app)
logs, image = {"type": "logs", "logs": "ok"}, {"type": "image", "url": "u"}
for body in (
    {"outputs": [logs, image]},
    {"outputs": None, "plain": [image], "by_name": {"a": logs}},
    {"outputs": [], "logs": logs, "listed": [logs], "saved": [image]},
    {"outputs": None, "tagged": {**logs, "outputs": [image]}},
):
    assert client.post("/calls", json=body).status_code != 422, body
for body in (
    {},
    {"outputs": [{"type": "video"}]},
    {"outputs": [{"type": "image"}]},
    {"outputs": None, "plain": [logs, {"type": "logs"}]},
    {"outputs": None, "tagged": {**logs, "outputs": [logs, {"type": "image"}]}},
):
    assert client.post("/calls", json=body).status_code == 422, body
assert client.post("/outputs", json=[logs, image]).status_code != 422
assert client.post("/outputs", json=[{"type": "video"}]).status_code == 422

lone = {"propertyName": "type"}
served = app.openapi()
schemas = served["components"]["schemas"]
call = schemas["Call"]["properties"]
assert call["outputs"]["anyOf"][0]["discriminator"] == lone, call["outputs"]
assert "discriminator" not in call["outputs"], call["outputs"]
assert call["plain"]["discriminator"] == lone, call["plain"]
assert call["by_name"]["discriminator"] == lone, call["by_name"]
assert call["logs"]["discriminator"] == lone, call["logs"]
assert call["listed"]["items"]["discriminator"] == lone, call["listed"]
assert "discriminator" not in schemas["Logs"], schemas["Logs"]
tagged = schemas["Tagged"]["properties"]["outputs"]
assert tagged["discriminator"] == lone, tagged
assert schemas["OutputList"]["discriminator"] == lone, schemas["OutputList"]
assert schemas["MaybeOutputs"]["anyOf"][0]["discriminator"] == lone, schemas["MaybeOutputs"]


def named(schema):  # a body typed by its component's class is served as its $ref
    reference = schema.get("$ref", "")
    return schemas[reference.rsplit("/", 1)[1]] if reference else schema


for path in ("/calls", "/outputs"):
    operation = served["paths"][path]["post"]
    body = named(operation["requestBody"]["content"]["application/json"]["schema"])
    answer = named(operation["responses"]["200"]["content"]["application/json"]["schema"])
    assert path == "/calls" or body["discriminator"] == lone, body
    assert path == "/outputs" or answer["discriminator"] == lone, answer
"""


def test_a_discriminator_beside_no_union_is_served_where_written(tmp_path: Path) -> None:
    served_and_behaves(tmp_path, CONTRACT, "2/2", BEHAVIOUR)
