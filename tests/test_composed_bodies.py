"""An inline request body that is an ``allOf`` of component schemas (DigitalOcean's
``allOf: [$ref: vpc_updatable, $ref: vpc_default]``, ``allOf: [$ref]`` beside a ``required``
of its own) is a model of its own, like an inline body with ``properties``: served as the
contract writes it and validated. It was typed ``Any``: nothing was validated, and the
served document named components that were never served (``unresolvable $ref``)."""

from __future__ import annotations

from pathlib import Path

from tests.test_fidelity import served_and_behaves

CONTRACT = """\
openapi: 3.0.3
info: {title: Composed bodies, version: '1'}
paths:
  /topics:
    post:
      operationId: createTopic
      security: []
      requestBody:
        content:
          application/json:
            schema:
              allOf:
                - $ref: '#/components/schemas/topic_create'
              required: [name]
      responses:
        '204': {description: Made}
  /vpcs/{id}:
    patch:
      operationId: patchVpc
      security: []
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              allOf:
                - $ref: '#/components/schemas/vpc_updatable'
                - $ref: '#/components/schemas/vpc_default'
      responses:
        '204': {description: Changed}
components:
  schemas:
    topic_create:
      type: object
      properties:
        name: {type: string}
        partitions: {type: integer, minimum: 1}
    vpc_updatable:
      type: object
      properties:
        name: {type: string, pattern: '^[a-z]+$'}
    vpc_default:
      type: object
      properties:
        default: {type: boolean}
"""

BEHAVIOUR = """\
from fastapi.testclient import TestClient

from src.main import create_app

client = TestClient(create_app())
accepted = [
    ("/topics", "post", {"name": "events", "partitions": 3}),
    ("/vpcs/1", "patch", {"name": "main", "default": True}),
]
refused = [
    ("/topics", "post", {"partitions": 3}),  # the body's own required
    ("/topics", "post", {"name": "events", "partitions": 0}),  # the member's minimum
    ("/vpcs/1", "patch", {"name": "Main"}),  # the first member's pattern
    ("/vpcs/1", "patch", {"default": "maybe"}),  # the second member's type
]
for path, method, body in accepted:
    assert client.request(method, path, json=body).status_code != 422, body
for path, method, body in refused:
    assert client.request(method, path, json=body).status_code == 422, body
"""


def test_an_all_of_body_is_a_model_served_and_validated(tmp_path: Path) -> None:
    served_and_behaves(tmp_path, CONTRACT, "2/2", BEHAVIOUR)
