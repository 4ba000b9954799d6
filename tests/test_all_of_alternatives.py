"""An ``allOf`` one of whose members is an ``anyOf`` of inline alternatives
(DigitalOcean's firewall bodies: a firewall, its name required, and at least one list of
rules, ``anyOf: [{required: [inbound_rules]}, {required: [outbound_rules]}]``) is served
with its alternatives and enforces them: a body with neither list is refused. The
``anyOf`` member was dropped (datamodel-code-generator merges the ``allOf`` members into
one class), so such a body was accepted. An ``anyOf`` beside ``properties`` (the rules
body) already was."""

from __future__ import annotations

from pathlib import Path

from tests.test_fidelity import served_and_behaves

CONTRACT = """\
openapi: 3.0.0
info: {title: Alternatives in allOf, version: '1'}
paths:
  /firewalls:
    post:
      operationId: create
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema:
              allOf:
                - $ref: '#/components/schemas/firewall'
                - required: [name]
                - anyOf:
                  - title: Inbound Rules
                    required: [inbound_rules]
                  - title: Outbound Rules
                    required: [outbound_rules]
      responses:
        '204': {description: done}
  /rules:
    post:
      operationId: rules
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/rules_update'}
      responses:
        '204': {description: done}
components:
  schemas:
    firewall:
      type: object
      properties:
        id: {type: string, readOnly: true}
        name: {type: string}
        inbound_rules: {type: array, items: {type: string}}
        outbound_rules: {type: array, items: {type: string}}
    rules_update:
      type: object
      properties:
        inbound_rules: {type: array, items: {type: string}}
        outbound_rules: {type: array, items: {type: string}}
      anyOf:
        - required: [inbound_rules]
        - required: [outbound_rules]
"""

BEHAVIOUR = """\
from fastapi.testclient import TestClient

from src.main import create_app

client = TestClient(create_app())
for path, body in (
    ("/firewalls", {"name": "web", "inbound_rules": ["tcp:80"]}),
    ("/firewalls", {"name": "web", "outbound_rules": [], "inbound_rules": []}),
    ("/rules", {"outbound_rules": ["tcp:443"]}),
):
    assert client.post(path, json=body).status_code != 422, (path, body)
for path, body in (
    ("/firewalls", {"name": "web"}),
    ("/firewalls", {"inbound_rules": ["tcp:80"]}),
    ("/firewalls", {"name": "web", "inbound_rules": "tcp:80"}),
    ("/rules", {}),
):
    assert client.post(path, json=body).status_code == 422, (path, body)
"""


def test_alternatives_in_an_all_of_are_served_and_enforced(tmp_path: Path) -> None:
    served_and_behaves(tmp_path, CONTRACT, "2/2", BEHAVIOUR)
