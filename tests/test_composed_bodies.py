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


UNIONS_AND_MAPS = """\
openapi: 3.1.0
info: {title: Inline unions and maps, version: '1'}
paths:
  /credentials/validate:
    post:
      operationId: validateCredential
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema:
              discriminator: {propertyName: type}
              oneOf:
                - type: object
                  properties:
                    type: {type: string, const: api_key}
                    credential: {type: string, minLength: 1}
                  required: [type, credential]
                - type: object
                  properties:
                    type: {type: string, const: access_token}
                    credential: {type: string, minLength: 1}
                    audience: {type: string, minLength: 1}
                  required: [type, credential]
      responses:
        '204': {description: Valid}
  /authenticate:
    post:
      operationId: authenticate
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema:
              oneOf:
                - type: object
                  properties:
                    grant_type: {type: string, const: authorization_code}
                    code: {type: string}
                  required: [grant_type, code]
                - type: object
                  properties:
                    grant_type: {type: string, const: refresh_token}
                    refresh_token: {type: string}
                  required: [grant_type, refresh_token]
      responses:
        '204': {description: Authenticated}
        '400':
          description: Refused
          content:
            application/json:
              schema:
                oneOf:
                  - {type: object, properties: {code: {type: string, const: bad_code}}}
                  - oneOf:
                      - {type: object, properties: {error: {type: string, const: expired}}}
                      - {type: object, properties: {error: {type: string, const: denied}}}
  /messages/{id}/metadata:
    put:
      operationId: putMetadata
      security: []
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: {type: string, maxLength: 20}
              maxProperties: 2
          application/x-www-form-urlencoded:
            schema:
              type: object
              additionalProperties: {type: string, maxLength: 20}
              maxProperties: 2
      responses:
        '204': {description: Stored}
"""

UNIONS_AND_MAPS_BEHAVIOUR = """\
from fastapi.testclient import TestClient

from src.main import create_app

client = TestClient(create_app())
accepted = [
    ("/credentials/validate", {"type": "api_key", "credential": "k"}),
    ("/credentials/validate", {"type": "access_token", "credential": "t", "audience": "a"}),
    ("/authenticate", {"grant_type": "authorization_code", "code": "c"}),
    ("/authenticate", {"grant_type": "refresh_token", "refresh_token": "r"}),
]
refused = [
    ("/credentials/validate", {"type": "api_key", "credential": ""}),  # a member's minLength
    ("/credentials/validate", {"type": "password", "credential": "k"}),  # no member's type
    ("/authenticate", {"grant_type": "authorization_code"}),  # a member's required
]
for path, body in accepted:  # /authenticate documents its refusals as 400
    assert client.post(path, json=body).status_code not in (400, 422), body
for path, body in refused:
    assert client.post(path, json=body).status_code in (400, 422), body
assert client.put("/messages/1/metadata", json={"a": "x", "b": "y"}).status_code != 422
assert client.put("/messages/1/metadata", json={"a": "x" * 21}).status_code == 422
assert client.put("/messages/1/metadata", json={"a": "", "b": "", "c": ""}).status_code == 422
"""


def test_inline_unions_and_constrained_maps_are_models_served_and_validated(
    tmp_path: Path,
) -> None:
    """An inline body that is a ``oneOf`` of inline objects (WorkOS's credential and
    authenticate bodies, discriminated or not) and an inline map whose values and size are
    bounded (Discord's moderation metadata, ``maxProperties`` and a value ``maxLength``, in
    JSON and a form) are named models like an inline object: before, the union was served
    absent and the map's bounds were dropped. A response's union stays documented as
    written (its nested ``oneOf`` member, WorkOS's 400, is not flattened)."""
    served_and_behaves(tmp_path, UNIONS_AND_MAPS, "3/3", UNIONS_AND_MAPS_BEHAVIOUR)


EXCLUSIVE_FIELDS = """\
openapi: 3.1.0
info: {title: Exclusive fields, version: '1'}
paths:
  /memberships/{id}:
    put:
      operationId: updateMembership
      security: []
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/MembershipUpdate'}
      responses:
        '204': {description: Updated}
components:
  schemas:
    MembershipUpdate:
      oneOf:
        - type: object
          not:
            anyOf:
              - {properties: {role_slug: {}}, required: [role_slug]}
              - {properties: {role_slugs: {}}, required: [role_slugs]}
        - type: object
          properties: {role_slug: {type: string}}
          required: [role_slug]
          not: {anyOf: [{required: [role_slugs]}]}
        - type: object
          properties: {role_slugs: {type: array, items: {type: string}}}
          required: [role_slugs]
          not: {anyOf: [{required: [role_slug]}]}
"""

EXCLUSIVE_FIELDS_BEHAVIOUR = """\
from fastapi.testclient import TestClient

from src.main import create_app

client = TestClient(create_app())
for body in ({}, {"role_slug": "admin"}, {"role_slugs": ["admin"]}):
    assert client.put("/memberships/1", json=body).status_code != 422, body
for body in ({"role_slug": "admin", "role_slugs": ["admin"]}, {"role_slug": 1}):
    assert client.put("/memberships/1", json=body).status_code == 422, body
"""


def test_a_one_of_member_that_only_negates_is_a_model(tmp_path: Path) -> None:
    """WorkOS's membership update: a ``oneOf`` whose first member is ``type: object`` and
    a ``not`` (neither field), the others one field each. That member was typed
    ``dict[str, Any]``: its ``not`` was dropped from the served schema, and every body
    matched it and another member, so ``oneOf`` refused them all."""
    served_and_behaves(tmp_path, EXCLUSIVE_FIELDS, "1/1", EXCLUSIVE_FIELDS_BEHAVIOUR)
