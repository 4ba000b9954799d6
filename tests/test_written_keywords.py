"""JSON Schema keywords pydantic's types say otherwise, served as the contract writes them and
enforced: an enum component listing null beside a type list with null, ``unevaluatedProperties:
false`` on an object, ``prefixItems`` tuples closed (``items: false``) or open (``items`` a
schema). Each is in the synthetic contract (``tests/synthetic_spec.py``)."""

from pathlib import Path

from tests.test_fidelity import served_and_behaves

ECHO = """\
openapi: 3.1.0
info: {title: Keywords, version: '1'}
paths:
  /echo:
    post:
      operationId: echo
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Holder'}
      responses:
        '200':
          description: The body, echoed
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Holder'}
components:
  schemas:
"""

ECHO_BEHAVIOUR = """\
from fastapi.testclient import TestClient

from src.api.v1 import default
from src.main import create_app

default.service.echo = lambda *, body, **_: body
client = TestClient(create_app(), raise_server_exceptions=False)


def answered(sent):
    answer = client.post("/echo", json=sent)
    assert answer.status_code == 200 and answer.json() == sent, (sent, answer.text)


def refused(sent):
    answer = client.post("/echo", json=sent)
    assert 400 <= answer.status_code < 500, (sent, answer.status_code, answer.text)


"""

NULL_IN_AN_ENUM_COMPONENT = (
    ECHO
    + """\
    Level: {type: [integer, 'null'], enum: [1, 2, null]}
    Holder:
      type: object
      properties:
        level: {$ref: '#/components/schemas/Level'}
"""
)

NULL_IN_AN_ENUM_COMPONENT_BEHAVIOUR = (
    ECHO_BEHAVIOUR
    + """\
answered({"level": 1})
answered({"level": None})
answered({})
refused({"level": 3})
refused({"level": "1"})
"""
)


def test_an_enum_component_listing_null_is_served_with_its_type_list(tmp_path: Path) -> None:
    """``Level: {type: [integer, null], enum: [1, 2, null]}`` named by ``$ref``: its class is
    an enum with a ``None`` member (null is valid), which pydantic served as ``enum: [1, 2,
    null]`` without a type (its values are not of one type). The class serves the type
    list as written."""
    served_and_behaves(
        tmp_path, NULL_IN_AN_ENUM_COMPONENT, "1/1", NULL_IN_AN_ENUM_COMPONENT_BEHAVIOUR
    )


SEALED = (
    ECHO
    + """\
    Holder:
      type: object
      required: [a]
      properties:
        a: {type: integer}
        b-c: {type: string}
      unevaluatedProperties: false
"""
)

SEALED_BEHAVIOUR = (
    ECHO_BEHAVIOUR
    + """\
answered({"a": 1})
answered({"a": 1, "b-c": "x"})
refused({"a": 1, "d": 2})
refused({"b-c": "x"})
served = client.get("/openapi.json").json()["components"]["schemas"]["Holder"]
assert served.get("unevaluatedProperties") is False, served
assert "additionalProperties" not in served, served
"""
)


def test_unevaluated_properties_false_without_subschemas_is_served_and_enforced(
    tmp_path: Path,
) -> None:
    """``unevaluatedProperties: false`` beside ``properties`` only: its model was closed
    (``extra="forbid"``) and served ``additionalProperties: false``, the same values but
    another keyword. The model keeps the keyword and refuses a property it does not
    declare (``ContractModel``)."""
    served_and_behaves(tmp_path, SEALED, "1/1", SEALED_BEHAVIOUR)


TUPLES = (
    ECHO
    + """\
    Holder:
      type: object
      properties:
        pair:
          type: array
          prefixItems: [{type: string}, {type: integer}]
          items: false
          minItems: 2
        head:
          type: array
          prefixItems: [{type: string, format: date}]
          items: {type: number}
        free:
          type: array
          prefixItems: [{type: boolean}]
"""
)

TUPLES_BEHAVIOUR = (
    ECHO_BEHAVIOUR
    + """\
answered({"pair": ["a", 1]})
refused({"pair": [1, "a"]})
refused({"pair": ["a", 1, 2]})
refused({"pair": ["a"]})
answered({"head": []})
answered({"head": ["2024-01-31"]})
answered({"head": ["2024-01-31", 1.5, 2]})
refused({"head": [1.5]})
refused({"head": ["2024-01-31", "x"]})
answered({"free": [True, "anything", None]})
refused({"free": ["no"]})
served = client.get("/openapi.json").json()["components"]["schemas"]["Holder"]["properties"]
assert served["pair"]["items"] is False and "maxItems" not in served["pair"], served
assert served["head"]["items"] == {"type": "number"}, served
"""
)


def test_prefix_items_are_served_and_enforced_position_by_position(tmp_path: Path) -> None:
    """``prefixItems`` of an array property, closed (``items: false``) or open (``items``
    a schema, or absent): datamodel-code-generator typed it a list of any position's
    schema, served ``items: anyOf`` (and ``maxItems`` for the closed one), and accepted
    the values in any position. Served as written and checked position by position."""
    served_and_behaves(tmp_path, TUPLES, "1/1", TUPLES_BEHAVIOUR)


SEALED_BESIDE_ALL_OF = (
    ECHO
    + """\
    Named:
      type: object
      required: [id]
      properties:
        id: {type: string}
        name: {type: string}
    Dated:
      type: object
      properties:
        at: {type: string, format: date}
    Sealed:
      allOf: [{$ref: '#/components/schemas/Named'}, {$ref: '#/components/schemas/Dated'}]
      required: [name]
      properties:
        extra: {type: integer}
      unevaluatedProperties: false
    Counted:
      allOf: [{$ref: '#/components/schemas/Named'}]
      properties:
        extra: {type: integer}
      minProperties: 2
    Holder:
      type: object
      properties:
        sealed: {$ref: '#/components/schemas/Sealed'}
        counted: {$ref: '#/components/schemas/Counted'}
        named: {$ref: '#/components/schemas/Named'}
"""
)

SEALED_BESIDE_ALL_OF_BEHAVIOUR = (
    ECHO_BEHAVIOUR
    + """\
answered({"sealed": {"id": "a", "name": "n"}})
answered({"sealed": {"id": "a", "name": "n", "at": "2024-01-31", "extra": 1}})
refused({"sealed": {"id": "a", "name": "n", "other": 1}})
refused({"sealed": {"id": "a"}})
refused({"sealed": {"id": "a", "name": "n", "extra": "x"}})
answered({"named": {"id": "a"}})
answered({"counted": {"id": "a", "extra": 1}})
refused({"counted": {"id": "a"}})
schemas = client.get("/openapi.json").json()["components"]["schemas"]
served = schemas["Sealed"]
assert served["unevaluatedProperties"] is False, served
assert "additionalProperties" not in served and "type" not in served, served
assert sorted(member["$ref"] for member in served["allOf"]) == [
    "#/components/schemas/Dated",
    "#/components/schemas/Named",
], served
assert list(served["properties"]) == ["extra"] and served["required"] == ["name"], served
assert "unevaluatedProperties" not in schemas["Named"], schemas["Named"]
"""
)


def test_unevaluated_properties_false_beside_all_of_is_served_and_enforced(
    tmp_path: Path,
) -> None:
    """``unevaluatedProperties: false`` beside an ``allOf`` of components whose properties
    only ``properties`` evaluate: its class derives from theirs and was closed
    (``extra="forbid"``), served with every property merged and ``additionalProperties:
    false``. It is served beside the ``allOf`` as written, and a property neither the
    components nor its own ``properties`` declare is refused (``ContractModel``, which
    such a subclass now derives from too: a ``minProperties`` beside an ``allOf`` was
    served but not enforced)."""
    served_and_behaves(tmp_path, SEALED_BESIDE_ALL_OF, "1/1", SEALED_BESIDE_ALL_OF_BEHAVIOUR)
