"""Two enums an ``allOf`` joins admit the values both list, served and enforced so.

openai's ``ComputerToolCallOutputResource`` is ``allOf: [$ref ComputerToolCallOutput,
{properties: {status: {$ref: ComputerCallOutputStatus}}}]``, the base's ``status`` an
inline enum ``[in_progress, completed, incomplete]``, the component
``[completed, incomplete, failed]``: only ``completed`` and ``incomplete`` are valid.
datamodel-code-generator listed both enums' values one after the other (every value of
either accepted, ``completed`` served twice), read only one of them (a property's
``allOf`` of two enums), or dropped the ``required`` of a property two members declare.
Each form of the family is here: two declarations of a property in the members of an
``allOf``, inline or by reference, in either order, under a base written in place or a
base that stays a class; a property's own ``allOf`` of enums; two enums of the same
values; two enums sharing no value (the property can only be absent)."""

from __future__ import annotations

from pathlib import Path

from tests.test_fidelity import served_and_behaves

CONTRACT = """\
openapi: 3.1.0
info: {title: Conjoined enums, version: '1'}
paths:
  /calls:
    post:
      operationId: createCall
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/CallResource'}
      responses:
        '200':
          description: the call
          content:
            application/json:
              schema: {$ref: '#/components/schemas/CallResource'}
  /runs:
    post:
      operationId: createRun
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/RunResource'}
      responses:
        '204': {description: done}
  /tasks:
    post:
      operationId: createTask
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Task'}
      responses:
        '204': {description: done}
  /jobs:
    post:
      operationId: createJob
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/JobResource'}
      responses:
        '204': {description: done}
components:
  schemas:
    CallStatus:
      type: string
      enum: [completed, incomplete, failed]
    RunStatus:
      type: string
      enum: [queued, running, done]
    Progress:
      type: string
      enum: [running, done, cancelled]
    Call:
      type: object
      properties:
        type: {type: string, enum: [call]}
        status:
          type: string
          description: One of in_progress, completed or incomplete.
          enum: [in_progress, completed, incomplete]
        phase: {$ref: '#/components/schemas/RunStatus'}
        mode: {type: string, description: the first, enum: [fast, slow]}
        kind: {type: string, enum: [x, y]}
      required: [type]
    CallResource:
      allOf:
        - $ref: '#/components/schemas/Call'
        - type: object
          properties:
            id: {type: string}
            status:
              description: Populated when returned via the API.
              $ref: '#/components/schemas/CallStatus'
            phase: {type: string, enum: [running, done, lost]}
            mode: {type: string, description: the second, enum: [fast, slow]}
            kind: {$ref: '#/components/schemas/CallStatus'}
          required: [id, status, mode]
    Run:
      allOf:
        - type: object
          properties: {id: {type: string}}
        - type: object
          properties:
            status: {$ref: '#/components/schemas/RunStatus'}
    RunResource:
      allOf:
        - $ref: '#/components/schemas/Run'
        - type: object
          properties:
            status: {$ref: '#/components/schemas/Progress'}
          required: [status]
    Task:
      type: object
      properties:
        both:
          allOf:
            - $ref: '#/components/schemas/RunStatus'
            - $ref: '#/components/schemas/Progress'
        inline:
          allOf:
            - {type: string, enum: [queued, done, lost]}
            - $ref: '#/components/schemas/RunStatus'
        whole:
          allOf:
            - $ref: '#/components/schemas/RunStatus'
            - {type: string, enum: [queued, running, done, lost]}
      required: [both]
    JobResource:
      allOf:
        - $ref: '#/components/schemas/Run'
        - type: object
          properties:
            status: {type: string, enum: [running, done, lost]}
"""

BEHAVIOUR = """\
from fastapi.testclient import TestClient

from src.main import create_app
from specs.schemas import CallResource, RunStatus, Task

client = TestClient(create_app())
call = {"type": "call", "id": "c", "status": "completed", "mode": "fast"}
for path, sent in (
    ("/calls", call),
    ("/calls", {**call, "status": "incomplete", "phase": "done"}),
    ("/runs", {"status": "running"}),
    ("/tasks", {"both": "done", "inline": "queued", "whole": "queued"}),
    ("/jobs", {"status": "done"}),
):
    assert client.post(path, json=sent).status_code != 422, (path, sent)
for path, sent in (
    ("/calls", {**call, "status": "in_progress"}),
    ("/calls", {**call, "status": "failed"}),
    ("/calls", {k: v for k, v in call.items() if k != "status"}),
    ("/calls", {k: v for k, v in call.items() if k != "mode"}),
    ("/calls", {**call, "phase": "queued"}),
    ("/calls", {**call, "phase": "lost"}),
    ("/calls", {**call, "kind": "x"}),
    ("/runs", {"status": "queued"}),
    ("/runs", {"status": "cancelled"}),
    ("/runs", {}),
    ("/tasks", {"both": "queued"}),
    ("/tasks", {"both": "cancelled"}),
    ("/tasks", {"both": "done", "inline": "running"}),
    ("/tasks", {"both": "done", "inline": "lost"}),
    ("/tasks", {"both": "done", "whole": "lost"}),
    ("/jobs", {"status": "queued"}),
    ("/jobs", {"status": "lost"}),
):
    assert client.post(path, json=sent).status_code == 422, (path, sent)

served = CallResource.model_json_schema()
def values(node):
    node = served["$defs"][node["$ref"].rsplit("/", 1)[-1]] if "$ref" in node else node
    return node["enum"]
properties = served["properties"]
assert values(properties["status"]) == ["completed", "incomplete"], properties["status"]
assert values(properties["mode"]) == ["fast", "slow"], properties["mode"]
assert values(properties["kind"]) == [], properties["kind"]
assert sorted(served["required"]) == ["id", "mode", "status", "type"], served["required"]
assert Task.model_validate({"both": "done", "whole": "done"}).whole is RunStatus.DONE
"""


def test_enums_an_all_of_joins_admit_the_values_both_list(tmp_path: Path) -> None:
    """Every operation served as written (the contract's intersection, as the fidelity
    check reads the ``allOf``), each value outside it refused, each inside accepted; an
    intersection that is a whole component is that component."""
    served_and_behaves(tmp_path, CONTRACT, "4/4", BEHAVIOUR)


NARROWED_ITEMS = """\
openapi: 3.1.0
info: {title: Narrowed items, version: '1'}
paths:
  /notes:
    post:
      operationId: publishNotes
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NoteEvents'}
      responses:
        '204': {description: received}
components:
  schemas:
    Events:
      type: object
      required: [events]
      properties:
        events:
          type: array
          items:
            type: object
            required: [category]
            properties:
              category:
                type: string
                oneOf:
                  - {const: CONTACT}
                  - {const: INVOICE}
                  - {const: NOTE}
    NoteEvents:
      allOf:
        - $ref: '#/components/schemas/Events'
        - type: object
          properties:
            events:
              type: array
              items:
                allOf:
                  - $ref: '#/components/schemas/Events/properties/events/items'
                  - type: object
                    properties:
                      category: {const: NOTE}
"""

NARROWED_ITEMS_BEHAVIOUR = """\
from fastapi.testclient import TestClient

from src.main import create_app

client = TestClient(create_app())
sent = {"events": [{"category": "NOTE"}]}
assert client.post("/notes", json=sent).status_code != 422
for category in ("CONTACT", "OTHER"):
    sent = {"events": [{"category": category}]}
    assert client.post("/notes", json=sent).status_code == 422, category
"""


def test_items_narrowed_by_a_member_referring_to_the_base_items(tmp_path: Path) -> None:
    """xero's credit-note events: ``allOf: [$ref Events, {events: {items: {allOf: [$ref
    Events/properties/events/items, {category: {const: NOTE}}]}}}]``. The member's
    ``events`` implies the base's; written in place beside it, the base's declaration was
    merged with it key by key, its enum values listed beside ``NOTE`` (all accepted)."""
    served_and_behaves(tmp_path, NARROWED_ITEMS, "1/1", NARROWED_ITEMS_BEHAVIOUR)
