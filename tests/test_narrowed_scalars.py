"""A property that narrows a referenced scalar component in an ``allOf`` (DigitalOcean's
volume bodies: ``allOf: [{$ref: volume_write_file_system_label}, {maxLength: 16}]``, 12
for xfs) is served and enforced narrowed: datamodel-code-generator read only the
reference, so the bound was neither served nor enforced."""

from __future__ import annotations

from pathlib import Path

from tests.test_fidelity import served_and_behaves

CONTRACT = """\
openapi: 3.0.0
info: {title: Narrowed scalars, version: '1'}
paths:
  /volumes:
    post:
      operationId: createVolume
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema:
              anyOf:
                - $ref: '#/components/schemas/volumes_ext4'
                - $ref: '#/components/schemas/volumes_xfs'
      responses:
        '204': {description: done}
components:
  schemas:
    label:
      type: string
      description: The label applied to the filesystem.
    size:
      type: integer
      minimum: 1
    volumes_ext4:
      type: object
      required: [filesystem_type]
      properties:
        filesystem_type: {type: string, enum: [ext4]}
        filesystem_label:
          allOf:
            - $ref: '#/components/schemas/label'
            - maxLength: 16
        size:
          description: At most a terabyte.
          allOf:
            - $ref: '#/components/schemas/size'
            - maximum: 1024
    volumes_xfs:
      type: object
      required: [filesystem_type]
      properties:
        filesystem_type: {type: string, enum: [xfs]}
        filesystem_label:
          allOf:
            - $ref: '#/components/schemas/label'
            - {maxLength: 12, pattern: '^[a-z]+$'}
"""

BEHAVIOUR = """\
from fastapi.testclient import TestClient

from src.main import create_app

client = TestClient(create_app())
for sent in (
    {"filesystem_type": "ext4", "filesystem_label": "a" * 16, "size": 1024},
    {"filesystem_type": "xfs", "filesystem_label": "a" * 12},
):
    assert client.post("/volumes", json=sent).status_code != 422, sent
for sent in (
    {"filesystem_type": "ext4", "filesystem_label": "a" * 17},
    {"filesystem_type": "ext4", "size": 1025},
    {"filesystem_type": "ext4", "size": 0},
    {"filesystem_type": "xfs", "filesystem_label": "a" * 13},
    {"filesystem_type": "xfs", "filesystem_label": "ABC"},
):
    assert client.post("/volumes", json=sent).status_code == 422, sent
"""


def test_a_narrowed_scalar_reference_is_served_and_enforced(tmp_path: Path) -> None:
    served_and_behaves(tmp_path, CONTRACT, "1/1", BEHAVIOUR)
