"""``nullable: true`` beside a ``oneOf`` with no ``type`` (OpenAPI 3.0's nullable union:
DigitalOcean's inference ``stop``, a string or a list of up to four, or null) admits
null once: datamodel-code-generator made the flag the inline list member's class too, so
null was valid against two members of the ``oneOf`` (served so, and refused by its
model). And a ``default: null`` beside such a union without ``nullable`` (``halt``) is no
default, as the loader reads it (with a warning) and fidelity rule 19 now reads it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.test_fidelity import body, contract_doc, differences, ok, served_and_behaves, served_doc

CONTRACT = """\
openapi: 3.0.0
info: {title: Nullable unions, version: '1'}
paths:
  /responses:
    post:
      operationId: respond
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/request'}
      responses:
        '204': {description: done}
components:
  schemas:
    request:
      type: object
      properties:
        stop:
          nullable: true
          default: null
          oneOf:
            - {type: string}
            - {type: array, minItems: 1, maxItems: 4, items: {type: string}}
        finish:
          nullable: true
          default: null
          oneOf:
            - {type: string, default: <end>, nullable: true}
            - {type: array, minItems: 1, maxItems: 4, items: {type: string}}
        prompt:
          nullable: true
          default: <start>
          oneOf:
            - {type: string, default: ''}
            - {type: array, items: {type: string, default: ''}}
            - {type: array, minItems: 1, items: {type: integer}}
        halt:
          default: null
          oneOf:
            - {type: string}
            - {type: array, minItems: 1, maxItems: 4, items: {type: string}}
"""

BEHAVIOUR = """\
from fastapi.testclient import TestClient

from src.main import create_app

client = TestClient(create_app())
accepted = ({"stop": None}, {"stop": "end"}, {"stop": ["a", "b"]}, {"halt": "end"}, {})
accepted += ({"finish": None}, {"finish": "x"}, {"finish": ["a"]}, {"prompt": None})
accepted += ({"prompt": [1]},)
for sent in accepted:
    assert client.post("/responses", json=sent).status_code != 422, sent
refused = ({"stop": []}, {"stop": 3}, {"halt": None}, {"halt": ["a"] * 5}, {"finish": []})
for sent in (*refused, {"finish": 3}, {"prompt": [[1]]}, {"prompt": [1.5]}):
    assert client.post("/responses", json=sent).status_code == 422, sent
"""


def test_a_nullable_union_admits_null_once(tmp_path: Path) -> None:
    served_and_behaves(tmp_path, CONTRACT, "1/1", BEHAVIOUR)


def test_a_null_default_no_member_admits_is_no_default() -> None:
    """Rule 19 beside a union: every member's type leaves null out, so the default can
    never apply; a member that admits null (or a reference, which may) keeps it."""
    members = [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
    served = {"type": "object", "properties": {"halt": {"oneOf": members}}}

    def compared(halt: dict[str, object]) -> list[str]:
        contract = {"type": "object", "properties": {"halt": halt}}
        return differences(
            contract_doc({"requestBody": body(contract), "responses": ok()}),
            served_doc({"requestBody": body(served), "responses": ok()}),
        )

    assert compared({"oneOf": members, "default": None}) == []
    nullable = [members[0], {**members[1], "type": ["array", "null"]}]
    assert compared({"oneOf": nullable, "default": None}) != []
    assert compared({"oneOf": [members[0], {"$ref": "#/x"}], "default": None}) != []


def test_a_null_default_a_referenced_member_refuses_is_no_default() -> None:
    """openai's ``ConversationParam`` (``default: null`` beside ``oneOf: [{type: string},
    {$ref: an object}]``) and its response's ``anyOf: [{$ref: ResponseConversation,
    default: null}, {type: "null"}]``: null is valid against no member, and against no
    reference's target where it stands beside one, so the generator drops both (its
    check of every default against its own schema) and serves none. Rule 19 read the
    member through its ``$ref`` only after folding the null branch, where null is
    valid; a target that admits null keeps the default."""
    schemas = {
        "Conversation": {"type": "object", "properties": {"id": {"type": "string"}}},
        "Maybe": {"type": ["object", "null"]},
    }
    conversation = {"$ref": "#/components/schemas/Conversation"}

    def compared(contract: dict[str, object], served: dict[str, object]) -> list[str]:
        def document(schema: dict[str, object], make: Any) -> Any:
            wrapped = {"type": "object", "properties": {"c": schema}}
            operation = {"requestBody": body(wrapped), "responses": ok()}
            return make(operation, components={"schemas": schemas})

        return differences(document(contract, contract_doc), document(served, served_doc))

    union = {"oneOf": [{"type": "string"}, conversation]}
    assert compared({**union, "default": None}, union) == []
    nullable = {"anyOf": [conversation, {"type": "null"}]}
    beside = {"anyOf": [{**conversation, "default": None}, {"type": "null"}]}
    assert compared(beside, nullable) == []
    maybe = {"$ref": "#/components/schemas/Maybe"}
    either = {"oneOf": [{"type": "string"}, maybe]}
    found = compared({**either, "default": None}, either)
    assert found and all("default" in line for line in found), found
    found = compared({**maybe, "default": None}, maybe)
    assert found and all("default" in line for line in found), found
