"""The annotations of a union's members served on the members, as the contract writes them
(:mod:`generators.emit.member_notes`).

``oneOf: [{$ref: A}, {$ref: B, deprecated: true, description: legacy form}]``: pydantic
served the union of the two classes, each member bare, and a client of the served
document did not learn that B is the deprecated form. The fidelity check compares
``deprecated`` (and ``readOnly``/``writeOnly`` where rule 9 does not set them aside) on a
member as on any schema, so the gap showed as ``oneOf.1.deprecated true != absent``;
``title``, ``description``, ``examples``... are documentation it ignores (rule 2), served
as written all the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generators.emit import member_notes
from tests.test_fidelity import body, contract_doc, differences, ok, served_and_behaves, served_doc

A, B = {"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}


def test_the_fidelity_check_sees_a_members_deprecation() -> None:
    """What the served document lost: each of these differences was reported on main."""

    def compared(ours: dict[str, Any], theirs: dict[str, Any]) -> list[str]:
        objects = {name: {"type": "object", "required": [name.lower()]} for name in "AB"}
        components = {"schemas": objects}
        return differences(
            contract_doc({"requestBody": body(ours), "responses": ok(ours)}, components=components),
            served_doc(
                {"requestBody": body(theirs), "responses": ok(theirs)}, components=components
            ),
        )

    deprecated = {"oneOf": [A, {**B, "deprecated": True, "description": "legacy form"}]}
    found = compared(deprecated, {"oneOf": [A, B]})
    assert any("oneOf.1.deprecated true != absent" in d for d in found), found
    assert compared(deprecated, {"oneOf": [A, {**B, "deprecated": True}]}) == []  # rule 2
    found = compared({"anyOf": [{**A, "readOnly": True}, B]}, {"anyOf": [A, B]})
    assert any("requestBody" in d and "readOnly" in d for d in found), found
    assert not any("response" in d for d in found), found  # rule 9: not in a response


def test_the_notes_found_are_each_members_by_position() -> None:
    union = {
        "anyOf": [
            {"type": "null"},
            A,
            {**B, "deprecated": True, "title": "Old", "x-internal": True, "examples": "x"},
        ]
    }
    assert member_notes.found(union) == [
        {"at": [], "of": 2, "members": [{"at": 1, "notes": {"deprecated": True, "title": "Old"}}]}
    ]  # null left out of the count; an extension, and examples that are no list, not served
    nested = {"anyOf": [{"type": "array", "items": union}, {"type": "null"}]}
    assert [entry["at"] for entry in member_notes.found(nested)] == [["items"]]
    assert member_notes.found({**union, "discriminator": {"propertyName": "t"}}) == []
    assert member_notes.found({"anyOf": [{**A, "deprecated": True}, {"type": "null"}]}) == []
    # OpenAPI 3.0 ignores the keywords beside a $ref; its allOf form says them
    legacy = {"oneOf": [{**A, "deprecated": True}, {"allOf": [B], "deprecated": True}]}
    assert member_notes.found(legacy, legacy=True) == [
        {"at": [], "of": 2, "members": [{"at": 1, "notes": {"deprecated": True}}]}
    ]


NOTED_31 = """\
openapi: 3.1.0
info: {title: T, version: '1'}
servers: [{url: 'https://example.com/api'}]
paths:
  /things:
    post:
      operationId: makeThing
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
      responses:
        '201':
          description: OK
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Holder'}
    patch:
      operationId: patchThing
      requestBody:
        required: true
        content:
          application/json:
            schema:
              anyOf:
                - $ref: '#/components/schemas/A'
                - {$ref: '#/components/schemas/B', deprecated: true, readOnly: true}
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema:
                type: array
                items:
                  anyOf:
                    - {type: string, deprecated: true}
                    - {type: integer, title: Count, writeOnly: true}
components:
  schemas:
    A:
      type: object
      required: [a]
      properties: {a: {type: string}}
    B:
      type: object
      required: [b]
      properties: {b: {type: integer}}
    Thing:
      oneOf:
        - $ref: '#/components/schemas/A'
        - {$ref: '#/components/schemas/B', deprecated: true, description: legacy form}
    Listing:
      type: array
      items:
        anyOf:
          - {type: string, deprecated: true}
          - {$ref: '#/components/schemas/A', description: an A}
    Holder:
      type: object
      properties:
        one:
          oneOf:
            - $ref: '#/components/schemas/A'
            - {$ref: '#/components/schemas/B', deprecated: true, title: Old}
        any:
          anyOf:
            - {$ref: '#/components/schemas/A', examples: [{a: x}]}
            - {$ref: '#/components/schemas/B', writeOnly: true, $comment: kept}
            - {type: 'null'}
        inline:
          anyOf:
            - {type: string, deprecated: true, description: old string}
            - $ref: '#/components/schemas/A'
        listing: {$ref: '#/components/schemas/Listing'}
"""

NOTED_31_BEHAVIOUR = """\
from fastapi.testclient import TestClient

from src.main import create_app

app = create_app()
document = app.openapi()
schemas = document["components"]["schemas"]
A, B = {"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}
assert schemas["Thing"]["oneOf"] == [
    A, {**B, "deprecated": True, "description": "legacy form"}
], schemas["Thing"]
held = schemas["Holder"]["properties"]
assert held["one"]["oneOf"] == [A, {**B, "deprecated": True, "title": "Old"}], held["one"]
assert held["any"]["anyOf"] == [
    {**A, "examples": [{"a": "x"}]},
    {**B, "writeOnly": True, "$comment": "kept"},
    {"type": "null"},
], held["any"]
assert held["inline"]["anyOf"] == [
    {"type": "string", "deprecated": True, "description": "old string"}, A
], held["inline"]
assert schemas["Listing"]["items"]["anyOf"] == [
    {"type": "string", "deprecated": True}, {**A, "description": "an A"}
], schemas["Listing"]
patch = document["paths"]["/api/things"]["patch"]
assert patch["requestBody"]["content"]["application/json"]["schema"]["anyOf"] == [
    A, {**B, "deprecated": True, "readOnly": True}
], patch["requestBody"]
items = patch["responses"]["200"]["content"]["application/json"]["schema"]["items"]
assert items["anyOf"] == [
    {"type": "string", "deprecated": True},
    {"type": "integer", "title": "Count", "writeOnly": True},
], items
assert "x-member-notes" not in str(document)

# validation as before: the notes validate nothing
client = TestClient(app)
for value in ({"a": "x"}, {"b": 1}):  # either member (the service is not written: 501)
    assert client.post("/api/things", json=value).status_code == 501, value
for value in ({"a": "x", "b": 1}, {"c": 1}):  # both members, or neither: refused
    assert client.post("/api/things", json=value).status_code in (400, 422), value
assert client.patch("/api/things", json={"b": 1}).status_code == 501
"""


def test_members_annotations_are_served_as_written(tmp_path: Path) -> None:
    """Beside a member's ``$ref`` (a component's union, a property's, a nullable one's), on
    an inline member, in an array's items (a component's, a response's), in an inline
    request body; the bodies validate as before."""
    served_and_behaves(tmp_path, NOTED_31, "2/2", NOTED_31_BEHAVIOUR)


NOTED_30 = """\
openapi: 3.0.3
info: {title: T, version: '1'}
servers: [{url: 'https://example.com/api'}]
paths:
  /things:
    post:
      operationId: makeThing
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
      responses:
        '201':
          description: OK
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Holder'}
components:
  schemas:
    A:
      type: object
      required: [a]
      properties: {a: {type: string}}
    B:
      type: object
      required: [b]
      properties: {b: {type: integer}}
    Thing:
      oneOf:
        - $ref: '#/components/schemas/A'
        - allOf: [{$ref: '#/components/schemas/B'}]
          deprecated: true
          description: legacy form
    Holder:
      type: object
      properties:
        ignored:
          oneOf:
            - $ref: '#/components/schemas/A'
            - {$ref: '#/components/schemas/B', deprecated: true}
        nullable:
          anyOf:
            - $ref: '#/components/schemas/A'
            - allOf: [{$ref: '#/components/schemas/B'}]
              deprecated: true
          nullable: true
        inline:
          anyOf:
            - {type: string, deprecated: true, example: old}
            - $ref: '#/components/schemas/A'
"""

NOTED_30_BEHAVIOUR = """\
from src.main import create_app

schemas = create_app().openapi()["components"]["schemas"]
A, B = {"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}
assert schemas["Thing"]["oneOf"] == [
    A, {**B, "deprecated": True, "description": "legacy form"}
], schemas["Thing"]
held = schemas["Holder"]["properties"]
assert held["ignored"]["oneOf"] == [A, B], held["ignored"]  # beside a $ref: 3.0 ignores it
assert held["nullable"]["anyOf"] == [A, {**B, "deprecated": True}, {"type": "null"}], held
assert held["inline"]["anyOf"] == [
    {"type": "string", "deprecated": True, "example": "old"}, A
], held["inline"]
"""


def test_an_openapi_3_0_members_annotations_are_served_as_it_reads_them(tmp_path: Path) -> None:
    """OpenAPI 3.0 ignores the keywords beside a ``$ref`` (the fidelity check too: served,
    a 3.1 document would apply them), and annotates a reference in a union as ``{allOf:
    [$ref], deprecated: true}``: served beside the reference, which means the same."""
    served_and_behaves(tmp_path, NOTED_30, "1/1", NOTED_30_BEHAVIOUR)
