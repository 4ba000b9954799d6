"""A request body that is an inline ``oneOf`` of components with a ``discriminator``
(DigitalOcean's droplet, volume and reserved-IP actions: several values mapped to one
member, members inheriting a base that carries the discriminator too) is served as
written, its ``mapping`` naming the members' served components, and enforced: the value
must name a member by the property and be valid against the member it selects. It was
typed ``Any`` (nothing validated) and served with references to components the served
document does not have, a mapping to names it does not use."""

from __future__ import annotations

from pathlib import Path

from tests.test_fidelity import served_and_behaves

CONTRACT = """\
openapi: 3.0.0
info: {title: Discriminated bodies, version: '1'}
paths:
  /actions:
    post:
      operationId: act
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema:
              oneOf:
                - $ref: '#/components/schemas/droplet_action'
                - $ref: '#/components/schemas/droplet_action_snapshot'
              discriminator:
                propertyName: type
                mapping:
                  reboot: '#/components/schemas/droplet_action'
                  power_on: '#/components/schemas/droplet_action'
                  snapshot: '#/components/schemas/droplet_action_snapshot'
      responses:
        '204': {description: done}
  /ips:
    post:
      operationId: ip
      security: []
      requestBody:
        content:
          application/json:
            schema:
              oneOf:
                - $ref: '#/components/schemas/ip_assign'
                - $ref: '#/components/schemas/ip_unassign'
              discriminator:
                propertyName: type
                mapping:
                  assign: '#/components/schemas/ip_assign'
                  unassign: '#/components/schemas/ip_unassign'
      responses:
        '204': {description: done}
components:
  schemas:
    droplet_action:
      type: object
      required: [type]
      properties:
        type: {type: string, enum: [reboot, power_on, snapshot]}
    droplet_action_snapshot:
      allOf:
        - $ref: '#/components/schemas/droplet_action'
        - type: object
          properties:
            name: {type: string}
    ip_type:
      type: object
      required: [type]
      properties:
        type: {type: string, enum: [assign, unassign]}
      discriminator:
        propertyName: type
        mapping:
          assign: '#/components/schemas/ip_assign'
          unassign: '#/components/schemas/ip_unassign'
    ip_assign:
      allOf:
        - $ref: '#/components/schemas/ip_type'
        - type: object
          required: [type, ip]
          properties:
            ip: {type: string}
    ip_unassign:
      allOf:
        - $ref: '#/components/schemas/ip_type'
        - type: object
          required: [type]
"""

BEHAVIOUR = """\
from fastapi.testclient import TestClient

from src.main import create_app

client = TestClient(create_app())
for path, body in (
    ("/actions", {"type": "reboot"}),
    ("/actions", {"type": "snapshot", "name": "nightly"}),
    ("/ips", {"type": "assign", "ip": "10.0.0.1"}),
    ("/ips", {"type": "unassign"}),
    ("/ips", None),
):
    assert client.post(path, json=body).status_code != 422, (path, body)
for path, body in (
    ("/actions", {}),
    ("/actions", {"type": "nope"}),
    ("/actions", {"type": "snapshot", "name": 3}),
    ("/ips", {"type": "assign"}),
):
    assert client.post(path, json=body).status_code == 422, (path, body)
"""


def test_an_inline_discriminated_body_is_served_and_enforced(tmp_path: Path) -> None:
    served_and_behaves(tmp_path, CONTRACT, "2/2", BEHAVIOUR)
