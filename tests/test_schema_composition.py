"""Schema composition served and enforced as the contract says: ``oneOf``/``anyOf``/
``allOf``/``not``, discriminators, ``const``/``enum``, nullability and
``additionalProperties``.

First the fidelity check's normalisations on hand-built document pairs (each one sound:
both forms accept the same values), then small contracts generated into models whose
served schema and validation are checked.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generators.emit.schemas import emit_schemas
from generators.loading.openapi import load_api
from generators.writer import format_python
from tests.helpers import assert_code_is_clean, lay_out_template
from tests.test_fidelity import body, contract_doc, differences, ok, served_and_behaves, served_doc


def _compare(ours: dict[str, Any], theirs: dict[str, Any], **extra: Any) -> list[str]:
    return differences(
        contract_doc({"requestBody": body(ours), "responses": ok()}, **extra),
        served_doc({"requestBody": body(theirs), "responses": ok()}, **extra),
    )


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        # additionalProperties {} (or documentation only) accepts every value: the default
        (
            {"type": "object", "additionalProperties": {}},
            {"type": "object"},
        ),
        (
            {"type": "object", "additionalProperties": {"description": "anything"}},
            {"type": "object", "additionalProperties": True},
        ),
        # oneOf of distinct consts (xero-webhooks' eventType) is the enum of their values
        (
            {
                "type": "string",
                "oneOf": [
                    {"type": "string", "const": "CREATE", "description": "created"},
                    {"type": "string", "const": "UPDATE"},
                ],
            },
            {"type": "string", "enum": ["CREATE", "UPDATE"]},
        ),
        (
            {"anyOf": [{"const": 1}, {"enum": [2, 3]}, {"const": 1}]},
            {"enum": [1, 2, 3]},
        ),
        # DigitalOcean: a required name no property declares is a property of any value
        (
            {"type": "object", "properties": {"t": {"type": "string"}}, "required": ["e"]},
            {
                "type": "object",
                "properties": {"t": {"type": "string"}, "e": {"title": "E"}},
                "required": ["e"],
            },
        ),
        # a property listed with the additionalProperties schema is what it validates
        (
            {"type": "object", "additionalProperties": {"type": "string"}, "required": ["e"]},
            {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "properties": {"e": {"type": "string", "title": "E"}},
                "required": ["e"],
            },
        ),
        # svix: an anyOf member written twice, identically, is one member
        (
            {"anyOf": [{"type": "object", "required": ["a"]}, {"type": "string"}] * 2},
            {"anyOf": [{"type": "object", "required": ["a"]}, {"type": "string"}]},
        ),
        # a oneOf/anyOf of one member is that member (datamodel-code-generator's form)
        (
            {"oneOf": [{"$ref": "#/components/schemas/A"}], "description": "the action"},
            {"$ref": "#/components/schemas/A"},
        ),
        ({"anyOf": [{"type": "integer", "minimum": 1}]}, {"type": "integer", "minimum": 1}),
        # an empty required list requires nothing
        ({"type": "object", "required": []}, {"type": "object"}),
        # prefect: anyOf [{}, null] admits every value, null included, as {} does
        ({"anyOf": [{}, {"type": "null"}], "title": "Data"}, {}),
        # a 3.1 document writing nullable: true means what 3.0 means
        ({"type": "string", "nullable": True}, {"type": ["string", "null"]}),
        # allOf: a property narrowed to one of its enum's values (xero's CreditNote event)
        (
            {
                "allOf": [
                    {"type": "object", "properties": {"c": {"enum": ["A", "B", "C"]}}},
                    {"properties": {"c": {"const": "B"}}},
                ]
            },
            {"type": "object", "properties": {"c": {"const": "B", "type": "string"}}},
        ),
        # allOf: an array's items met by both members' item schemas
        (
            {
                "allOf": [
                    {"type": "array", "items": {"type": "object", "required": ["a"]}},
                    {"type": "array", "items": {"required": ["b"]}},
                ]
            },
            {"type": "array", "items": {"type": "object", "required": ["a", "b"]}},
        ),
        # 3.0's nullable reference (sentry, stripe): null, or what the allOf accepts
        (
            {"allOf": [{"$ref": "#/components/schemas/A"}], "nullable": True},
            {"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]},
        ),
        # 3.1: nullable beside a reference (svix), read alike
        (
            {"$ref": "#/components/schemas/A", "nullable": True},
            {"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]},
        ),
        # svix: shared properties beside a oneOf of variants, served in each variant
        (
            {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "string"}},
                "oneOf": [
                    {"properties": {"kind": {"const": "a"}}, "required": ["kind"]},
                    {"properties": {"kind": {"const": "b"}}, "required": ["kind"]},
                ],
            },
            {
                "oneOf": [
                    {
                        "type": "object",
                        "required": ["id", "kind"],
                        "properties": {"id": {"type": "string"}, "kind": {"const": k}},
                    }
                    for k in ("a", "b")
                ]
            },
        ),
        # sentry: an anyOf member admitting null makes the anyOf admit it
        (
            {"anyOf": [{"type": "string"}, {"type": "object", "nullable": True}]},
            {"anyOf": [{"type": "string"}, {"type": "object"}, {"type": "null"}]},
        ),
        # a oneOf served as oneOf
        (
            {"oneOf": [{"type": "integer"}, {"type": "number"}]},
            {"oneOf": [{"type": "number"}, {"type": "integer"}]},
        ),
        # discord: null or a reference to an enum (its values refuse null) is nullable
        (
            {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Kind"}]},
            {"anyOf": [{"$ref": "#/components/schemas/Kind"}, {"type": "null"}]},
        ),
        (
            {"oneOf": [{"type": "null"}, {"enum": ["a", "b"]}]},
            {"anyOf": [{"enum": ["a", "b"], "type": "string"}, {"type": "null"}]},
        ),
    ],
)
def test_equivalent_composition_forms(ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    kind = {"type": "integer", "oneOf": [{"title": "ONE", "const": 1}, {"const": 4}]}
    components = {
        "schemas": {
            "A": {"type": "object", "properties": {"a": {"type": "string"}}},
            "Kind": kind,
        }
    }
    assert _compare(ours, theirs, components=components) == []


@pytest.mark.parametrize(
    ("ours", "theirs", "expected"),
    [
        # additionalProperties that constrains is not the default
        (
            {"type": "object", "additionalProperties": {"type": "string"}},
            {"type": "object"},
            'additionalProperties {"type": "string"} != absent',
        ),
        # a value two oneOf members list is rejected by the oneOf: not an enum
        (
            {"oneOf": [{"const": "a"}, {"enum": ["a", "b"]}]},
            {"enum": ["a", "b"]},
            "oneOf",
        ),
        # oneOf served as anyOf accepts a value both members accept
        (
            {"oneOf": [{"type": "integer"}, {"type": "number"}]},
            {"anyOf": [{"type": "integer"}, {"type": "number"}]},
            "oneOf",
        ),
        # a oneOf of two members is not one of them
        (
            {"oneOf": [{"type": "integer"}, {"type": "string"}]},
            {"type": "integer"},
            'type ["integer", "string"] != "integer"',
        ),
        # enums intersected: C is left out by the second member
        (
            {"allOf": [{"enum": ["A", "B", "C"]}, {"enum": ["B", "D"]}]},
            {"enum": ["B", "C"]},
            'enum ["B"] != ["B", "C"]',
        ),
        # with a type of its own beside the allOf, the allOf still applies to null
        (
            {"type": "object", "nullable": True, "allOf": [{"type": "object"}]},
            {"anyOf": [{"type": "object"}, {"type": "null"}]},
            "schema: ",
        ),
        # a shared requirement a served variant drops is reported
        (
            {
                "type": "object",
                "required": ["id"],
                "oneOf": [{"required": ["a"]}, {"required": ["b"]}],
            },
            {
                "oneOf": [
                    {"type": "object", "required": ["id", "a"]},
                    {"type": "object", "required": ["b"]},
                ]
            },
            "oneOf.1.required",
        ),
        # null flagged beside a type that refuses it still counts
        ({"type": "string", "nullable": True}, {"type": "string"}, "nullable true != absent"),
        # an enum listing null admits it: oneOf refuses the null both members accept
        (
            {"oneOf": [{"type": "null"}, {"enum": ["a", None]}]},
            {"enum": ["a", None]},
            "oneOf",
        ),
        # a member with more than values (a pattern) is not folded
        (
            {"oneOf": [{"const": "a"}, {"type": "string", "pattern": "^b"}]},
            {"enum": ["a", "b"]},
            "oneOf",
        ),
    ],
)
def test_composition_forms_that_differ_are_reported(
    ours: dict[str, Any], theirs: dict[str, Any], expected: str
) -> None:
    found = _compare(ours, theirs)
    assert any(expected in line for line in found), found


def _member(kind: dict[str, Any], required: bool = False) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": {"type": kind}}
    if required:
        schema["required"] = ["type"]
    return schema


def _union(discriminator: dict[str, Any]) -> dict[str, Any]:
    refs = [{"$ref": "#/components/schemas/Track"}, {"$ref": "#/components/schemas/Episode"}]
    return {"oneOf": refs, "discriminator": discriminator}


def test_an_implicit_mapping_compares_by_the_values_members_list() -> None:
    """Spotify: ``discriminator: {propertyName: type}`` with no mapping, members listing
    ``type: {enum: [track]}`` (optional); pydantic serves ``Literal["track"]`` (required)
    and the explicit mapping ``{track: ..., episode: ...}``."""
    contract = {
        "Track": _member({"type": "string", "enum": ["track"]}),
        "Episode": _member({"type": "string", "enum": ["episode"]}),
    }
    served = {
        "Track": _member({"type": "string", "const": "track"}, required=True),
        "Episode": _member({"type": "string", "const": "episode"}, required=True),
    }
    mapping = {
        "track": "#/components/schemas/Track",
        "episode": "#/components/schemas/Episode",
    }
    ours = _union({"propertyName": "type"})
    theirs = _union({"propertyName": "type", "mapping": mapping})
    operation = {"requestBody": body(ours), "responses": ok()}
    served_operation = {"requestBody": body(theirs), "responses": ok()}
    found = differences(
        contract_doc(operation, components={"schemas": contract}),
        served_doc(served_operation, components={"schemas": served}),
    )
    assert found == []
    # a value the contract's members do not list is a difference
    other = {**mapping, "podcast": mapping.pop("episode")}
    served["Episode"] = _member({"type": "string", "const": "podcast"}, required=True)
    served_operation = {"requestBody": body(_union({"propertyName": "type", "mapping": other}))}
    found = differences(
        contract_doc(operation, components={"schemas": contract}),
        served_doc({**served_operation, "responses": ok()}, components={"schemas": served}),
    )
    assert any("discriminator" in line for line in found), found
    assert any("oneOf.1.properties.type" in line for line in found), found


def test_an_implicit_mapping_of_members_listing_no_value_is_their_schema_names() -> None:
    plain = {"Track": _member({"type": "string"}), "Episode": _member({"type": "string"})}
    by_name = {
        "Track": _member({"const": "Track"}, required=True),
        "Episode": _member({"const": "Episode"}, required=True),
    }
    operation = {"requestBody": body(_union({"propertyName": "type"})), "responses": ok()}
    assert (
        differences(
            contract_doc(operation, components={"schemas": plain}),
            served_doc(operation, components={"schemas": by_name}),
        )
        == []
    )
    by_name["Track"] = _member({"const": "track"}, required=True)
    found = differences(
        contract_doc(operation, components={"schemas": plain}),
        served_doc(operation, components={"schemas": by_name}),
    )
    assert any("oneOf.0.properties.type" in line for line in found), found


# --- generated models: what they serve and what they accept -----------------------------


def generated_models(tmp_path: Path, contract: str) -> Path:
    """``specs/`` generated from ``contract`` (components only) under ``tmp_path``."""
    spec = tmp_path / "openapi.yaml"
    spec.write_text(contract, encoding="utf-8")
    for relative, text in emit_schemas(load_api(spec)).items():
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return tmp_path


REFUSED = '''
from pydantic import ValidationError


def refused(model, data):
    """Why ``model`` refuses ``data`` ("" where it takes it)."""
    try:
        model.model_validate(data)
    except ValidationError as error:
        return str(error)
    return ""
'''
"""What every behaviour script can call (a script may define its own ``refused``)."""


def models_behave(tmp_path: Path, contract: str, behaviour: str, *, typed: bool = True) -> Path:
    """``specs/`` generated from ``contract``, the ``behaviour`` script run against it (it
    must pass; after :data:`REFUSED`) and, where ``typed``, the code ``mypy --strict``
    clean: its root."""
    root = generated_models(tmp_path, contract)
    ran = run_python(root, REFUSED + behaviour)
    assert ran.returncode == 0, ran.stderr
    if typed:
        checked = mypy_strict(root)
        assert checked.returncode == 0, checked.stdout
    return root


def run_python(root: Path, code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False
    )


def mypy_strict(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "specs"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )


INHERITED_DISCRIMINATOR = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    EpisodeBase:
      type: object
      properties:
        type: {type: string, enum: [episode]}
        name: {type: string}
    EpisodeObject:
      allOf:
        - $ref: '#/components/schemas/EpisodeBase'
        - {type: object, properties: {show: {type: string}}}
    TrackObject:
      type: object
      properties:
        type: {type: string, enum: [track]}
    Item:
      oneOf:
        - $ref: '#/components/schemas/TrackObject'
        - $ref: '#/components/schemas/EpisodeObject'
      discriminator: {propertyName: type}
"""

INHERITED_DISCRIMINATOR_BEHAVIOUR = """\
from pydantic import ValidationError
from specs.schemas import Item

assert type(Item.model_validate({"type": "episode", "show": "s"}).root).__name__ == "EpisodeObject"
assert type(Item.model_validate({"type": "track"}).root).__name__ == "TrackObject"
for wrong in ({"type": "EpisodeObject"}, {"type": "other"}):
    try:
        Item.model_validate(wrong)
    except ValidationError:
        pass
    else:
        raise AssertionError(wrong)
assert Item.model_validate({"type": "episode"}).model_dump(mode="json") == {"type": "episode"}
"""


def test_an_inherited_discriminator_narrowed_by_a_subclass_is_mypy_clean(
    tmp_path: Path,
) -> None:
    """Spotify's ``EpisodeObject`` (``allOf: [EpisodeBase, ...]``) selected by ``type``:
    the subclass narrows the enum-typed field to its discriminating value as
    ``Literal[Enum.MEMBER]``, a subtype mypy accepts, and only the contract's values
    select a member."""
    models_behave(tmp_path, INHERITED_DISCRIMINATOR, INHERITED_DISCRIMINATOR_BEHAVIOUR)


ONE_OF = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Card: {type: object, properties: {number: {type: string}, holder: {type: string}}}
    Bank: {type: object, properties: {iban: {type: string}, holder: {type: string}}}
    Closed:
      type: object
      additionalProperties: false
      properties: {iban: {type: string}}
    Method:
      oneOf: [{$ref: '#/components/schemas/Card'}, {$ref: '#/components/schemas/Closed'}]
    Payment:
      type: object
      properties:
        method: {oneOf: [{$ref: '#/components/schemas/Card'}, {$ref: '#/components/schemas/Bank'}]}
        codes: {type: array, items: {oneOf: [{type: integer}, {type: string}]}}
        amounts: {type: object, additionalProperties: {oneOf: [{type: integer}, {type: number}]}}
        maybeCodes: {type: [array, 'null'], items: {oneOf: [{type: integer}, {type: string}]}}
        maybeAmounts:
          type: [object, 'null']
          additionalProperties: {oneOf: [{type: integer}, {type: number}]}
        note: {oneOf: [{type: integer}, {type: string}, {type: 'null'}]}
        kind: {oneOf: [{const: a}, {const: b}]}
        root: {$ref: '#/components/schemas/Method'}
"""

ONE_OF_BEHAVIOUR = """\
import json
from pydantic import ValidationError
from specs.schemas import Method, Payment

# a value two members accept is refused; one that only one accepts is taken
assert "valid against 2 members of its oneOf (Card, Bank)" in refused(
    Payment, {"method": {"holder": "x"}})
assert "2 members" in refused(Payment, {"method": {"number": "1", "iban": "2"}})
assert "2 members" in refused(Method, {})
assert not refused(Method, {"iban": "DE00", "number": "1"})  # Closed refuses number
assert Payment.model_validate({"codes": [1, "1"]}).codes == [1, "1"]  # "1" is no integer
assert "2 members" in refused(Payment, {"amounts": {"a": 1}})  # 1 is an integer and a number
assert "2 members" in refused(Payment, {"maybeAmounts": {"a": 1}})
assert Payment.model_validate({"maybeAmounts": None, "maybeCodes": None}).maybe_codes is None
assert Payment.model_validate({"amounts": {"a": 1.5}}).amounts == {"a": 1.5}
assert Payment.model_validate({"note": None}).note is None
assert refused(Payment, {"kind": "c"})

served = Payment.model_json_schema()
properties = served["properties"]
for name, where in (("method", ()), ("codes", ("items",)), ("amounts", ("additionalProperties",)),
                    ("note", ()), ("maybeCodes", (0, "items")),
                    ("maybeAmounts", (0, "additionalProperties"))):
    node = properties[name]
    for step in where:  # 0: the non-null member of a nullable property's anyOf
        node = node["anyOf"][step] if step == 0 else node[step]
    assert "oneOf" in node and "anyOf" not in node, (name, node)
assert "x-oneOf" not in served
assert "oneOf" in Method.model_json_schema() and "anyOf" not in Method.model_json_schema()
assert "oneOf" not in json.dumps(properties["kind"]), properties["kind"]  # an enum, as written
"""


def test_one_of_is_served_as_one_of_and_refuses_a_value_two_members_accept(
    tmp_path: Path,
) -> None:
    """adyen's ``paymentMethod: oneOf [...]``: pydantic's union serves ``anyOf`` and takes
    a value that fits several members. A component ``oneOf`` (root model), a property's,
    its items' and its map values' are served as ``oneOf`` and enforced; a ``oneOf`` of
    consts stays an enum."""
    models_behave(tmp_path, ONE_OF, ONE_OF_BEHAVIOUR)


REPEATED_MEMBER = """\
openapi: 3.0.3
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Feature:
      type: object
      properties:
        value:
          oneOf:
            - {title: string_value, type: string}
            - {type: boolean}
            - {title: allowance_value, type: string}
        either:
          anyOf: [{type: integer}, {type: integer, description: again}]
"""

REPEATED_MEMBER_BEHAVIOUR = """
from pydantic import ValidationError
from specs.schemas import Feature

schema = Feature.model_json_schema(mode="serialization")
value = schema["properties"]["value"]["oneOf"]
assert len(value) == 3 and value[2] == {"$ref": "#/$defs/AllowanceValue"}, value
assert schema["$defs"]["AllowanceValue"]["type"] == "string", schema["$defs"]
assert len(schema["properties"]["either"]["anyOf"]) == 2, schema["properties"]["either"]
assert Feature(value=True).value is True
try:
    Feature(value="Unlimited")
except ValidationError as error:
    assert "valid against 2 members" in str(error), error
else:
    raise AssertionError("a string matches two oneOf members")
assert Feature.model_validate({"either": 3}).model_dump(exclude_unset=True) == {"either": 3}
"""


def test_a_repeated_union_member_is_served_and_a_one_of_refuses_what_both_accept(
    tmp_path: Path,
) -> None:
    """DigitalOcean's add-on feature value, ``oneOf: [string, boolean, string]``:
    datamodel-code-generator types both strings ``str``, which Python's union keeps once,
    so the app served two members and took every string. The repeated member is a class of
    its own (named after its title): three members served, a string refused."""
    models_behave(tmp_path, REPEATED_MEMBER, REPEATED_MEMBER_BEHAVIOUR)


OVERRIDDEN_BASE = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Batch:
      type: object
      required: [events]
      properties:
        events:
          type: array
          items:
            type: object
            required: [category]
            properties:
              category: {type: string, enum: [CONTACT, CREDITNOTE]}
    CreditNoteBatch:
      allOf:
        - $ref: '#/components/schemas/Batch'
        - type: object
          properties:
            events:
              type: array
              items:
                allOf:
                  - $ref: '#/components/schemas/Batch/properties/events/items'
                  - {type: object, required: [data], properties: {category: {const: CREDITNOTE},
                     data: {type: string}}}
"""


def test_an_all_of_overriding_its_bases_property_is_one_mypy_clean_model(
    tmp_path: Path,
) -> None:
    """xero's credit-note webhook: ``allOf: [$ref Batch, {events: items narrowed}]``. As a
    subclass of ``Batch`` the model redeclared ``events: list[Event1]`` over
    ``list[Event]`` and ``Literal["CREDITNOTE"]`` over the enum, which mypy refuses; the
    base's keywords are merged in instead, and the narrowed values are enforced."""
    root = generated_models(tmp_path, OVERRIDDEN_BASE)
    checked = mypy_strict(root)
    assert checked.returncode == 0, checked.stdout
    behaviour = run_python(
        root,
        "from pydantic import ValidationError\n"
        "from specs.schemas import CreditNoteBatch\n"
        "ok = {'events': [{'category': 'CREDITNOTE', 'data': 'x'}]}\n"
        "assert CreditNoteBatch.model_validate(ok).model_dump(mode='json') == ok\n"
        "for wrong in ({'events': [{'category': 'CONTACT', 'data': 'x'}]},\n"
        "              {'events': [{'category': 'CREDITNOTE'}]}, {}):\n"
        "    try:\n"
        "        CreditNoteBatch.model_validate(wrong)\n"
        "    except ValidationError:\n"
        "        continue\n"
        "    raise AssertionError(wrong)\n",
    )
    assert behaviour.returncode == 0, behaviour.stderr


NEGATION = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Login:
      type: object
      properties:
        password: {type: string}
        password_hash: {type: string}
        nickname: {type: string, not: {enum: [admin, root]}}
      not:
        anyOf:
          - {required: [password, password_hash]}
"""


def test_not_is_served_and_refuses_what_it_negates(tmp_path: Path) -> None:
    """workos: ``not: {anyOf: [{required: [password, password_hash]}]}`` (properties
    that exclude each other), dropped by datamodel-code-generator, and a property's
    ``not``: both served as written and enforced."""
    models_behave(
        tmp_path,
        NEGATION,
        "from pydantic import ValidationError\n"
        "from specs.schemas import Login\n"
        "assert Login.model_validate({'password': 'a', 'nickname': 'bob'}).nickname == 'bob'\n"
        "for wrong in ({'password': 'a', 'password_hash': 'b'}, {'nickname': 'admin'}):\n"
        "    try:\n"
        "        Login.model_validate(wrong)\n"
        "    except ValidationError as error:\n"
        "        assert 'under `not`' in str(error), error\n"
        "        continue\n"
        "    raise AssertionError(wrong)\n"
        "served = Login.model_json_schema()\n"
        "assert served['not'] == {'anyOf': [{'required': ['password', 'password_hash']}]}\n"
        "assert served['properties']['nickname']['not'] == {'enum': ['admin', 'root']}\n",
    )


NULLABLE_ENUM = """\
openapi: 3.0.3
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Refund:
      type: object
      properties:
        reason: {type: string, enum: [FRAUD, OTHER], nullable: true}
        state: {type: string, enum: [open, null], nullable: true}
        value: {anyOf: [{type: string}, {type: object, nullable: true}]}
"""


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_an_enum_without_null_refuses_null_whatever_nullable_says(
    tmp_path: Path, version: str
) -> None:
    """adyen (3.1) writes ``nullable: true`` beside ``enum: [FRAUD, ...]``: ``nullable``
    only widens ``type``, the enum still refuses null (OpenAPI 3.0.3), so the model
    refuses ``None`` and serves no null; an enum listing null admits it."""
    contract = NULLABLE_ENUM.replace("3.0.3", version)
    if version.startswith("3.1"):  # the 3.1 spelling too
        contract = contract.replace(
            "{type: string, enum: [FRAUD, OTHER], nullable: true}",
            "{type: [string, 'null'], enum: [FRAUD, OTHER]}",
        )
    models_behave(
        tmp_path,
        contract,
        "from pydantic import ValidationError\n"
        "from specs.schemas import Refund\n"
        "assert Refund.model_validate({'state': None}).state is None\n"
        "assert Refund.model_validate({'value': None}).value is None  # anyOf member\n"
        "try:\n"
        "    Refund.model_validate({'reason': None})\n"
        "except ValidationError:\n"
        "    pass\n"
        "else:\n"
        "    raise AssertionError('null accepted')\n"
        "assert 'null' not in str(Refund.model_json_schema()['properties']['reason'])\n",
        typed=False,
    )


def test_object_keywords_beside_another_type_are_no_model(tmp_path: Path) -> None:
    """vonage's ``messages``: ``type: array`` with ``items`` and ``properties`` beside them.
    The properties apply to objects only, which the type refuses: the field is the list,
    served as ``type: array`` (not a union with a model of the properties)."""
    contract = """\
openapi: 3.0.3
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Sent:
      type: object
      properties:
        messages:
          type: array
          items: {type: string}
          properties:
            count: {type: integer}
"""
    models_behave(
        tmp_path,
        contract,
        "from specs.schemas import Sent\n"
        "served = Sent.model_json_schema()['properties']['messages']\n"
        "assert served['type'] == 'array' and 'anyOf' not in served, served\n"
        "assert Sent.model_validate({'messages': ['a']}).messages == ['a']\n",
        typed=False,
    )


def test_a_component_keeps_its_class_name_when_an_inline_schema_takes_it_first(
    tmp_path: Path,
) -> None:
    """stripe: the string member of ``application_fee.charge`` is generated before the
    component ``charge`` and took ``Charge``; routers name a component's class
    ``class_name(component)``, so ``GET /charges/{id}`` served the string. The component keeps
    ``Charge``; the inline schema takes the name the generator gave the component."""
    contract = """\
openapi: 3.0.3
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    application_fee:
      type: object
      properties:
        charge:
          anyOf: [{type: string, maxLength: 5000}, {$ref: '#/components/schemas/charge'}]
    charge:
      type: object
      properties:
        id: {type: string}
"""
    models_behave(
        tmp_path,
        contract,
        "from specs.schemas import ApplicationFee, Charge\n"
        "assert Charge.model_json_schema()['type'] == 'object'\n"
        "fee = ApplicationFee.model_validate({'charge': {'id': 'ch_1'}})\n"
        "assert isinstance(fee.charge, Charge), fee\n"
        "assert ApplicationFee.model_validate({'charge': 'ch_1'}).charge.root == 'ch_1'\n",
        typed=False,
    )


def test_length_keywords_beside_an_array_bound_nothing(tmp_path: Path) -> None:
    """sentry's ``schedule``: ``anyOf: [string, {type: array, minLength: 2, maxLength: 2}]``.
    ``minLength`` applies to strings only: the list takes any length, and none is served."""
    contract = """\
openapi: 3.0.3
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Config:
      type: object
      properties:
        schedule:
          anyOf:
            - {type: string}
            - {type: array, items: {type: integer}, minLength: 2, maxLength: 2}
"""
    models_behave(
        tmp_path,
        contract,
        "from specs.schemas import Config\n"
        "assert Config.model_validate({'schedule': [1, 2, 3]}).schedule == [1, 2, 3]\n"
        "served = str(Config.model_json_schema())\n"
        "assert 'Items' not in served and 'Length' not in served, served\n",
        typed=False,
    )


def test_a_one_of_in_an_all_of_member_is_served_and_enforced(tmp_path: Path) -> None:
    """pagerduty's ``last_run_by``: a ``oneOf`` property of the second member of
    ``allOf: [$ref Base, {...}]``. The merged class serves ``oneOf`` and refuses a value both
    members accept, as a class of its own would."""
    contract = """\
openapi: 3.0.3
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Ref: {type: object, properties: {id: {type: string}}, required: [id]}
    Other:
      type: object
      properties: {id: {type: string}, type: {type: string}}
      required: [id, type]
    Base: {type: object, properties: {name: {type: string}}}
    Action:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          properties:
            by:
              oneOf: [{$ref: '#/components/schemas/Ref'}, {$ref: '#/components/schemas/Other'}]
"""
    root = models_behave(
        tmp_path,
        contract,
        "from pydantic import ValidationError\n"
        "from specs.schemas import Action\n"
        "served = Action.model_json_schema()\n"
        "assert 'oneOf' in served['properties']['by'], served\n"
        "assert Action.model_validate({'name': 'a', 'by': {'id': 'x'}}).name == 'a'\n"
        "try:\n"
        "    Action.model_validate({'by': {'id': 'x', 'type': 't'}})\n"
        "except ValidationError:\n"
        "    pass\n"
        "else:\n"
        "    raise AssertionError('a value both members accept was accepted')\n",
        typed=False,
    )
    assert mypy_strict(root).returncode == 0


def test_a_discriminator_beside_no_union_is_served_and_types_nothing_else(
    tmp_path: Path,
) -> None:
    """pagerduty's ``IncidentAction``: ``discriminator`` on a plain object schema that
    another extends with ``allOf`` (OpenAPI 3.0's inheritance idiom). A list of it stays a
    list of it (not of its subclass), and the discriminator is served where it is written."""
    contract = """\
openapi: 3.0.3
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Action:
      type: object
      properties:
        type: {type: string, enum: [escalate, resolve]}
      discriminator: {propertyName: type}
      required: [type]
    Escalate:
      allOf:
        - $ref: '#/components/schemas/Action'
        - type: object
          properties: {level: {type: integer}}
          required: [level]
    Incident:
      type: object
      properties:
        actions: {type: array, items: {$ref: '#/components/schemas/Action'}}
"""
    models_behave(
        tmp_path,
        contract,
        "from specs.schemas import Action, Incident\n"
        "incident = Incident.model_validate({'actions': [{'type': 'resolve'}]})\n"
        "assert type(incident.actions[0]) is Action, incident\n"
        "assert Action.model_json_schema()['discriminator'] == {'propertyName': 'type'}\n",
        typed=False,
    )


def test_a_map_without_a_type_is_a_map_and_a_property_named_properties_is_a_property(
    tmp_path: Path,
) -> None:
    """lichess's ``Crosstable.users``: ``additionalProperties`` without ``type`` is read as
    the map it describes (the loader warns), not as ``Any``; a property named ``properties``
    beside it stays a property, not a keyword."""
    contract = """\
openapi: 3.0.3
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Crosstable:
      type: object
      properties:
        users: {additionalProperties: {type: number}}
        properties: {type: object, additionalProperties: {type: string}}
"""
    models_behave(
        tmp_path,
        contract,
        "from pydantic import ValidationError\n"
        "from specs.schemas import Crosstable\n"
        "served = Crosstable.model_json_schema()['properties']\n"
        "assert served['users'] == {'additionalProperties': {'type': 'number'},"
        " 'type': 'object', 'title': 'Users'}, served\n"
        "assert set(served) == {'users', 'properties'}, served\n"
        "try:\n"
        "    Crosstable.model_validate({'users': {'neio': 'x'}})\n"
        "except ValidationError:\n"
        "    pass\n"
        "else:\n"
        "    raise AssertionError('a string accepted as a number')\n",
        typed=False,
    )


def test_an_all_of_member_requiring_what_its_base_leaves_optional(tmp_path: Path) -> None:
    """DigitalOcean's ``meta``: ``allOf: [{$ref: meta_properties}, {required: [total]}]``.
    The member makes ``total`` required where the base leaves it optional: the merged model
    requires it, and serves it required."""
    contract = """\
openapi: 3.0.3
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    meta_properties:
      type: object
      properties: {total: {type: integer}, page: {type: integer}}
    meta:
      type: object
      properties:
        meta:
          allOf: [{$ref: '#/components/schemas/meta_properties'}, {required: [total]}]
"""
    models_behave(
        tmp_path,
        contract,
        "from pydantic import ValidationError\n"
        "from specs.schemas import Meta, MetaProperties\n"
        "assert Meta.model_validate({'meta': {'total': 1}}).meta.total == 1\n"
        "assert MetaProperties.model_validate({}).model_dump() == {}\n"
        "try:\n"
        "    Meta.model_validate({'meta': {'page': 1}})\n"
        "except ValidationError:\n"
        "    pass\n"
        "else:\n"
        "    raise AssertionError('meta without total accepted')\n",
        typed=False,
    )


def test_a_property_a_base_and_a_member_declare_alike_is_required_where_one_requires_it(
    tmp_path: Path,
) -> None:
    """openai's ``FunctionToolCallResource``: ``allOf: [$ref FunctionToolCall, {properties:
    {id, status}, required: [id, status]}]``, the base declaring ``id`` alike but leaving
    it optional. The base written in place (its ``status`` differs), the members declared
    nothing differently once their enums were conjoined, and datamodel-code-generator,
    reading them one by one, made the field of the first declaration: ``id`` optional.
    A property declared alike twice is declared once, and required as the member says."""
    contract = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Call:
      type: object
      properties: {id: {type: string, description: The ID.}, name: {type: string}}
    CallResource:
      allOf:
        - $ref: '#/components/schemas/Call'
        - type: object
          properties: {id: {type: string, description: The ID.}, extra: {type: string}}
          required: [id]
"""
    models_behave(
        tmp_path,
        contract,
        "from specs.schemas import Call, CallResource\n"
        "assert CallResource.model_json_schema()['required'] == ['id']\n"
        "assert not refused(CallResource, {'id': 'a'}) and not refused(Call, {})\n"
        "assert refused(CallResource, {'name': 'n'}) and refused(CallResource, {'id': 1})\n",
    )


def test_an_optional_reference_to_a_schema_with_a_default_takes_it_not_null(
    tmp_path: Path,
) -> None:
    """DigitalOcean's ``phase``: an optional ``$ref`` to an enum whose ``default`` is
    ``UNKNOWN``. The field defaults to it and refuses null, as the contract says (it was
    ``Phase | None``: null accepted and served)."""
    contract = """\
openapi: 3.0.3
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Phase: {type: string, enum: [UNKNOWN, ACTIVE], default: UNKNOWN}
    Deployment:
      type: object
      properties:
        phase: {$ref: '#/components/schemas/Phase'}
        current: {$ref: '#/components/schemas/Phase'}
      required: [current]
"""
    models_behave(
        tmp_path,
        contract,
        "from pydantic import ValidationError\n"
        "from specs.schemas import Deployment, Phase\n"
        "assert Deployment.model_validate({'current': 'ACTIVE'}).phase is Phase.UNKNOWN\n"
        "served = Deployment.model_json_schema()\n"
        "assert 'null' not in str(served['properties']['phase']), served\n"
        "assert served['required'] == ['current'], served\n"
        "try:\n"
        "    Deployment.model_validate({'current': 'ACTIVE', 'phase': None})\n"
        "except ValidationError:\n"
        "    pass\n"
        "else:\n"
        "    raise AssertionError('null accepted')\n",
        typed=False,
    )


def test_a_value_member_default_is_the_enums_default() -> None:
    """Normalisation 16 with DigitalOcean's ``instance_size_slug``: one member's default is
    the enum's (the generator hoists it there); two members' defaults are no one reading."""
    sizes = {
        "oneOf": [
            {"type": "string", "enum": ["s-1", "s-2"], "default": "s-1", "title": "Size"},
            {"type": "string", "enum": ["basic"]},
        ]
    }
    assert _compare(sizes, {"enum": ["s-1", "s-2", "basic"], "default": "s-1"}) == []
    assert _compare(sizes, {"enum": ["s-1", "s-2", "basic"]}) != []
    both = {"oneOf": [sizes["oneOf"][0], {"enum": ["basic"], "default": "basic"}]}
    assert _compare(both, {"enum": ["s-1", "s-2", "basic"], "default": "s-1"}) != []


def test_a_deprecated_value_member_keeps_the_union_and_its_default() -> None:
    """DigitalOcean's ``instance_size_slug`` as it is now: its legacy slugs' member is
    ``deprecated``. The union is kept (each member's deprecation compared), and its one
    member default is still the union's, where the generator serves it; it was compared
    member by member, the default in the first member on one side only."""
    current = {"type": "string", "enum": ["s-1", "s-2"], "default": "s-1"}
    legacy = {"type": "string", "enum": ["basic"], "deprecated": True}
    sizes = {"oneOf": [current, legacy]}
    served = {
        "oneOf": [{"type": "string", "enum": ["s-1", "s-2"]}, legacy],
        "default": "s-1",
    }
    assert _compare(sizes, served) == []
    assert _compare(sizes, {**served, "default": "s-2"}) != []
    assert _compare(sizes, {"enum": ["s-1", "s-2", "basic"], "default": "s-1"}) != []
    undeprecated = {"oneOf": [served["oneOf"][0], {"enum": ["basic"]}], "default": "s-1"}
    assert _compare(sizes, undeprecated) != []


def test_a_value_member_default_is_served_beside_the_union(tmp_path: Path) -> None:
    contract = """\
openapi: 3.0.3
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Spec:
      type: object
      properties:
        size:
          oneOf:
            - {type: string, enum: [s-small, s-big], default: s-small}
            - {type: string, enum: [basic]}
"""
    root = models_behave(
        tmp_path,
        contract,
        "from specs.schemas import Spec\n"
        "assert Spec.model_validate({}).size == 's-small'\n"
        "served = Spec.model_json_schema()['properties']['size']\n"
        "assert served['default'] == 's-small', served\n",
        typed=False,
    )
    assert mypy_strict(root).returncode == 0


def test_a_one_of_of_disjoint_types_is_their_type_list() -> None:
    """Normalisation 5 for ``oneOf`` (DigitalOcean's metric values, pydantic's
    ``int | str``): no JSON value has two of the types, so exactly one member accepts
    it; ``integer`` and ``number`` overlap, and that ``oneOf`` stays."""
    pair = {"oneOf": [{"type": "integer"}, {"type": "string"}]}
    assert _compare(pair, {"anyOf": [{"type": "integer"}, {"type": "string"}]}) == []
    overlapping = {"oneOf": [{"type": "integer"}, {"type": "number"}]}
    assert _compare(overlapping, {"type": ["integer", "number"]}) != []


def test_annotation_only_all_of_members_annotate_the_property(tmp_path: Path) -> None:
    """DigitalOcean's ``cors``: ``allOf: [$ref, {description}, {deprecated: true}]``. The
    property is served deprecated, with its description, and still typed as the reference."""
    contract = """\
openapi: 3.0.3
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Cors: {type: object, properties: {origin: {type: string}}}
    Spec:
      type: object
      properties:
        cors:
          allOf:
          - $ref: '#/components/schemas/Cors'
          - description: Use ingress rules instead.
          - deprecated: true
"""
    models_behave(
        tmp_path,
        contract,
        "from specs.schemas import Cors, Spec\n"
        "served = Spec.model_json_schema()['properties']['cors']\n"
        "assert served['deprecated'] is True, served\n"
        "assert served['description'] == 'Use ingress rules instead.', served\n"
        "spec = Spec.model_validate({'cors': {'origin': 'x'}})\n"
        "assert isinstance(spec.__dict__['cors'], Cors)\n",
        typed=False,
    )


def test_an_enum_components_default_is_served_wherever_it_is_used(tmp_path: Path) -> None:
    """lichess's ``UciVariant``: an enum component whose schema gives ``default: chess``;
    its class serves the default as the component does, in a list's items too."""
    contract = """\
openapi: 3.0.3
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    UciVariant: {type: string, enum: [chess, atomic], default: chess}
    Engine:
      type: object
      required: [variants]
      properties:
        variants: {type: array, items: {$ref: '#/components/schemas/UciVariant'}}
"""
    root = models_behave(
        tmp_path,
        contract,
        "from specs.schemas import Engine, UciVariant\n"
        "schema = Engine.model_json_schema()\n"
        "assert schema['$defs']['UciVariant']['default'] == 'chess', schema\n"
        "assert Engine.model_validate({'variants': ['atomic']}).variants == [UciVariant.ATOMIC]\n",
        typed=False,
    )
    assert mypy_strict(root).returncode == 0


def test_a_free_form_object_component_keeps_what_it_holds(tmp_path: Path) -> None:
    """``Metadata: {type: object}``, any object: its model keeps every member of the value
    (a model without fields would drop them all, answering ``{}``)."""
    contract = """\
openapi: 3.0.3
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Metadata: {type: object}
    Holder:
      type: object
      properties:
        meta: {$ref: '#/components/schemas/Metadata'}
"""
    models_behave(
        tmp_path,
        contract,
        "from specs.schemas import Holder\n"
        "held = Holder.model_validate({'meta': {'a': 1, 'b': [2]}})\n"
        "assert held.model_dump(mode='json') == {'meta': {'a': 1, 'b': [2]}}, held\n",
        typed=False,
    )


def test_an_all_of_base_referenced_inside_another_schema_is_resolved(tmp_path: Path) -> None:
    """pagerduty's bases are references into other schemas' ``allOf`` lists
    (``#/components/schemas/Tag/allOf/0``): resolved through the list, they are inlined as
    a component base is, so the class holding the ``oneOf`` serves and enforces it."""
    contract = """\
openapi: 3.0.3
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Ref: {type: object, properties: {id: {type: string}}, required: [id]}
    Other:
      type: object
      properties: {id: {type: string}, type: {type: string}}
      required: [id, type]
    Tag:
      allOf:
        - {type: object, properties: {name: {type: string}}}
        - {type: object, properties: {label: {type: string}}}
    Action:
      allOf:
        - $ref: '#/components/schemas/Tag/allOf/0'
        - type: object
          properties:
            by:
              oneOf: [{$ref: '#/components/schemas/Ref'}, {$ref: '#/components/schemas/Other'}]
"""
    models_behave(
        tmp_path,
        contract,
        "from specs.schemas import Action\n"
        "assert 'oneOf' in Action.model_json_schema()['properties']['by']\n"
        "assert Action.model_validate({'name': 'a'}).name == 'a'\n",
        typed=False,
    )


def test_a_later_all_of_members_default_overrides_an_earlier_one() -> None:
    """Normalisation 4's reading (pagerduty's orchestration paths): the variant's default
    is the one served; the base's is not."""
    path = {
        "allOf": [
            {"type": "object", "properties": {"type": {"type": "string", "default": "service"}}},
            {"properties": {"type": {"default": "global"}}},
        ]
    }

    def served(default: str) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {"type": {"type": "string", "default": default}},
        }

    assert _compare(path, served("global")) == []
    assert _compare(path, served("service")) != []


NARROWED_ENUMS = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Status:
      type: integer
      format: int32
      oneOf:
        - {title: DISABLED, const: 1}
        - {title: ENABLED, const: 2}
        - {title: GONE, const: 3}
    Event: {type: string, enum: [created, deleted, updated]}
    App:
      type: object
      properties:
        status:
          oneOf:
            - {type: 'null'}
            - type: integer
              format: int32
              enum: [1, 2]
              allOf: [{$ref: '#/components/schemas/Status'}]
        events:
          type: array
          items:
            {type: string, enum: [created, deleted], allOf: [{$ref: '#/components/schemas/Event'}]}
        last: {$ref: '#/components/schemas/Event', enum: [updated]}
        any:
          type: string
          enum: [updated, deleted, created]
          allOf: [{$ref: '#/components/schemas/Event'}]
        code:
          {type: integer, format: int32, oneOf: [{title: ONE, const: 1}, {title: TWO, const: 2}]}
"""

NARROWED_ENUMS_BEHAVIOUR = """\
from pydantic import ValidationError
from specs.schemas import App, Event

def refused(data):
    try:
        App.model_validate(data)
    except ValidationError:
        return True
    return False

app = App.model_validate({"status": 2, "events": ["created"], "last": "updated", "any": "updated"})
assert app.status.name == "ENABLED" and app.events[0].name == "CREATED", app
assert isinstance(app.any, Event)  # every value of the enum: the reference itself
assert App.model_validate({"status": None}).status is None
for wrong in ({"status": 3}, {"events": ["updated"]}, {"last": "created"}, {"code": 3}):
    assert refused(wrong), wrong
assert App.model_validate({"code": 2}).code.name == "TWO"

served = App.model_json_schema()
defs, properties = served["$defs"], served["properties"]
def target(node):
    return defs[node["$ref"].rsplit("/", 1)[-1]] if "$ref" in node else node
status = [m for m in properties["status"]["anyOf"] if m != {"type": "null"}][0]
assert target(status)["enum"] == [1, 2], status
assert target(properties["events"]["items"])["enum"] == ["created", "deleted"]
assert target(properties["last"])["enum"] == ["updated"]
assert target(properties["code"])["enum"] == [1, 2]
"""


def test_an_enum_narrowed_beside_a_reference_to_an_enum_is_served_narrowed(
    tmp_path: Path,
) -> None:
    """Discord's ``{enum: [1, 2], allOf: [$ref ApplicationEventWebhooksStatus]}``: only the
    values both list are valid, so the property's enum holds them alone (with the
    component's member names), served and enforced; 3.1's ``{$ref, enum}`` alike. An
    inline enum written as a ``oneOf`` of consts with a ``format`` stays an enum."""
    models_behave(tmp_path, NARROWED_ENUMS, NARROWED_ENUMS_BEHAVIOUR)


ERROR_DETAILS = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Error:
      type: object
      required: [code]
      properties: {code: {type: integer}}
    ErrorResponse:
      allOf:
        - $ref: '#/components/schemas/Error'
        - {type: object, properties: {errors: {$ref: '#/components/schemas/ErrorDetails'}}}
    InnerErrors:
      type: object
      additionalProperties: false
      required: [_errors]
      properties: {_errors: {type: array, items: {$ref: '#/components/schemas/Error'}}}
    ErrorDetails:
      oneOf:
        - {type: object, additionalProperties: {$ref: '#/components/schemas/ErrorDetails'}}
        - {$ref: '#/components/schemas/InnerErrors'}
"""


def test_a_recursive_root_and_a_model_deriving_from_error_are_lint_clean(
    tmp_path: Path,
) -> None:
    """Discord's ``ErrorDetails`` (a ``oneOf`` of a map of itself and ``InnerErrors``) is
    a root model whose base spells its union with ``|`` (ruff's UP007), and its
    ``ErrorResponse`` (``allOf: [Error, ...]``) keeps the contract's names although ruff's
    N818 reads a class deriving from ``Error`` as an exception."""
    lay_out_template(tmp_path)
    root = generated_models(tmp_path, ERROR_DETAILS)
    written = {
        relative: (root / relative).read_text(encoding="utf-8")
        for relative in ("specs/schemas/__init__.py", "specs/validation.py")
    }
    for relative, text in format_python(written).items():  # as the writer writes them
        (root / relative).write_text(text, encoding="utf-8")
    behaviour = run_python(
        root,
        "from specs.schemas import ErrorDetails, ErrorResponse\n"
        "data = {'errors': {'name': {'_errors': [{'code': 1}]}}, 'code': 50035}\n"
        "response = ErrorResponse.model_validate(data)\n"
        "assert response.model_dump(mode='json', by_alias=True) == data, response\n",
    )
    assert behaviour.returncode == 0, behaviour.stderr
    code = (root / "specs/schemas/__init__.py").read_text(encoding="utf-8")
    assert "class ErrorResponse(Error):  # noqa: N818" in code
    assert "Union" not in code
    assert_code_is_clean(root, "specs")


def test_a_nullable_root_without_a_default_serves_none_and_needs_a_value(
    tmp_path: Path,
) -> None:
    """immich's ``stack`` items: a nullable array made a ``RootModel`` keeps no default
    (datamodel-code-generator writes ``= None``: ``default: null`` served, the value
    optional); null stays valid, as the contract says."""
    contract = """\
openapi: 3.0.3
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Bucket:
      type: object
      properties:
        stack:
          type: array
          items: {type: array, items: {type: string}, minItems: 2, maxItems: 2, nullable: true}
"""
    root = models_behave(
        tmp_path,
        contract,
        "import json\n"
        "from pydantic import ValidationError\n"
        "from specs.schemas import Bucket\n"
        "served = json.dumps(Bucket.model_json_schema())\n"
        "assert 'default' not in served, served\n"
        "held = Bucket.model_validate({'stack': [['a', 'b'], None]})\n"
        "assert held.model_dump(mode='json') == {'stack': [['a', 'b'], None]}, held\n"
        "try:\n"
        "    Bucket.model_validate({'stack': [['a']]})\n"
        "except ValidationError:\n"
        "    pass\n"
        "else:\n"
        "    raise AssertionError('one item accepted where two are required')\n",
        typed=False,
    )
    assert mypy_strict(root).returncode == 0


def test_an_any_of_member_written_twice_is_one_member(tmp_path: Path) -> None:
    """svix's ``Data``: one object schema listed three times in an ``anyOf`` is served once
    (datamodel-code-generator made two equal classes of it), and still validates."""
    member = "{type: object, required: [sent], properties: {sent: {type: integer}}}"
    contract = f"""\
openapi: 3.1.0
info: {{title: T, version: '1'}}
paths: {{}}
components:
  schemas:
    Data:
      anyOf:
        - {member}
        - {member}
        - {{type: object, required: [purged], properties: {{purged: {{type: integer}}}}}}
        - {member}
"""
    models_behave(
        tmp_path,
        contract,
        "from pydantic import ValidationError\n"
        "from specs.schemas import Data\n"
        "assert len(Data.model_json_schema()['anyOf']) == 2, Data.model_json_schema()\n"
        "assert Data.model_validate({'sent': 1}).model_dump() == {'sent': 1}\n"
        "try:\n"
        "    Data.model_validate({'other': 1})\n"
        "except ValidationError:\n"
        "    pass\n"
        "else:\n"
        "    raise AssertionError('a value no member accepts was accepted')\n",
        typed=False,
    )


def test_a_required_name_no_property_declares_is_required_with_any_value(
    tmp_path: Path,
) -> None:
    """DigitalOcean's logtail spec: ``required: [endpoint]``, ``properties: {token}``. The
    object must hold ``endpoint`` (any value); the served schema still requires it. Beside
    an ``additionalProperties`` schema the name takes that schema; an ``allOf`` member
    requiring what another member declares (pagerduty's runners) leaves it declared
    there, and so does a base requiring what the schemas extending it declare (Spotify's
    ``PagingObject`` requires the ``items`` each paging subclass types)."""
    contract = """\
openapi: 3.0.3
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Logtail:
      type: object
      properties: {token: {type: string}}
      required: [endpoint]
    Labels:
      type: object
      properties: {team: {type: string}}
      additionalProperties: {type: string}
      required: [env]
    Base:
      type: object
      properties: {id: {type: integer}}
    Runner:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          properties: {name: {type: string}}
          required: [id, name]
    Paging:
      type: object
      properties: {total: {type: integer}}
      required: [items]
    TrackPage:
      allOf:
        - $ref: '#/components/schemas/Paging'
        - type: object
          properties: {items: {type: array, items: {type: string}}}
"""
    root = models_behave(
        tmp_path,
        contract,
        "from pydantic import ValidationError\n"
        "from specs.schemas import Logtail\n"
        "assert Logtail.model_json_schema()['required'] == ['endpoint']\n"
        "for value in ('https://x', 3, None, {'a': 1}):\n"
        "    held = Logtail.model_validate({'endpoint': value})\n"
        "    assert held.model_dump(mode='json') == {'endpoint': value}, held\n"
        "try:\n"
        "    Logtail.model_validate({'token': 't'})\n"
        "except ValidationError:\n"
        "    pass\n"
        "else:\n"
        "    raise AssertionError('an object without its required endpoint was accepted')\n"
        "from specs.schemas import Labels, Runner\n"
        "Labels.model_validate({'env': 'prod'})\n"
        "for bad in ({}, {'env': 3}):\n"
        "    try:\n"
        "        Labels.model_validate(bad)\n"
        "    except ValidationError:\n"
        "        continue\n"
        "    raise AssertionError(f'{bad} accepted')\n"
        "assert Runner.model_fields['id'].annotation is int, Runner.model_fields['id']\n"
        "try:\n"
        "    Runner.model_validate({'id': 'seven', 'name': 'r'})\n"
        "except ValidationError:\n"
        "    pass\n"
        "else:\n"
        "    raise AssertionError('a member redeclared the base property as any value')\n"
        "from specs.schemas import TrackPage\n"
        "TrackPage.model_validate({'items': ['a']})\n"
        "try:\n"
        "    TrackPage.model_validate({'items': 3})\n"
        "except ValidationError:\n"
        "    pass\n"
        "else:\n"
        "    raise AssertionError('a base requiring items made the subclass items any value')\n",
        typed=False,
    )
    assert mypy_strict(root).returncode == 0


BASE_REQUIRING_UNDECLARED = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    DoneEvent:
      type: object
      properties:
        type: {type: string, enum: [done]}
        sequence_number: {type: integer}
      required: [type, sequence_number, response_id]
    DoneWsEvent:
      allOf:
        - $ref: '#/components/schemas/DoneEvent'
        - type: object
          properties: {stream_id: {type: string}}
    Paging:
      type: object
      properties: {total: {type: integer}}
      required: [items, cursor]
    TrackPage:
      allOf:
        - $ref: '#/components/schemas/Paging'
        - type: object
          properties: {items: {type: array, items: {type: string}}}
"""

BASE_REQUIRING_UNDECLARED_BEHAVIOUR = """\
from specs.schemas import DoneEvent, DoneWsEvent, Paging, TrackPage

event = {"type": "done", "sequence_number": 1, "response_id": "r"}
for model in (DoneEvent, DoneWsEvent):
    served = model.model_json_schema()
    assert "response_id" in served["required"], served
    assert not refused(model, event) and not refused(model, {**event, "response_id": 3})
    assert refused(model, {k: v for k, v in event.items() if k != "response_id"}), model
assert "cursor" in Paging.model_json_schema()["required"]
assert refused(Paging, {"items": []}) and refused(TrackPage, {"items": ["a"]})
assert not refused(TrackPage, {"items": ["a"], "cursor": None})
assert refused(TrackPage, {"items": 3, "cursor": 1})  # its items typed, not any value
"""


def test_a_base_requires_what_no_schema_extending_it_declares(tmp_path: Path) -> None:
    """openai's stream events: ``ResponseAudioDoneEvent`` requires a ``response_id`` it
    does not declare, and ``allOf: [$ref ResponseAudioDoneEvent, {stream_id}]`` extends
    it. A base leaves undeclared only the names the schemas extending it declare
    (Spotify's ``PagingObject`` and its typed ``items``); the others it declares with
    any value, so it requires them (``response_id`` was dropped from ``required``,
    served and enforced so), and so does the schema extending it."""
    models_behave(tmp_path, BASE_REQUIRING_UNDECLARED, BASE_REQUIRING_UNDECLARED_BEHAVIOUR)


CLASS_ANNOTATIONS = """\
openapi: 3.0.2
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Params:
      type: object
      deprecated: true
      properties: {type: {type: string}}
    Message:
      type: object
      readOnly: true
      properties:
        id: {type: string}
        days: {type: array, items: {type: integer, format: int32, readOnly: true}}
    Old: {type: string, enum: [a, b], deprecated: true}
    Service:
      type: object
      writeOnly: true
      properties:
        grouping:
          oneOf:
            - $ref: '#/components/schemas/Params'
            - {type: object, title: Ref, deprecated: true, properties: {id: {type: string}}}
        message: {$ref: '#/components/schemas/Message'}
        old: {$ref: '#/components/schemas/Old'}
"""

CLASS_ANNOTATIONS_BEHAVIOUR = """\
from pydantic import ValidationError
from specs.schemas import Service

served = Service.model_json_schema(ref_template="#/$defs/{model}")
defs = served.pop("$defs")
assert served["writeOnly"] is True and "x-oneOf" not in served, served
assert "oneOf" in served["properties"]["grouping"], served  # ExclusiveModel's, kept
for member in served["properties"]["grouping"]["oneOf"]:
    assert defs[member["$ref"].rsplit("/", 1)[-1]]["deprecated"] is True, member
assert defs["Message"]["readOnly"] is True, defs
assert defs["Old"]["deprecated"] is True, defs
days = defs["Message"]["properties"]["days"]["items"]
assert days == {"type": "integer", "format": "int32", "readOnly": True}, days
try:
    Service.model_validate({"message": {"days": [2**40]}})  # still an int32
except ValidationError:
    pass
else:
    raise AssertionError("an int64 day was accepted")
"""


def test_a_class_serves_its_schemas_annotations_wherever_it_is_used(tmp_path: Path) -> None:
    """pagerduty's deprecated ``AlertGroupingParameters`` (a ``oneOf`` member) and its
    read-only ``WebhooksV1Message``: pydantic serves ``deprecated``/``readOnly``/
    ``writeOnly`` on a field only, so the class made of such a schema (a model, an enum,
    an inline member) serves them itself, a base's own schema hook (``ExclusiveModel``'s
    ``oneOf``) still applying; read-only scalar items (its ``days_of_week``) are served as
    written and still validated."""
    models_behave(tmp_path, CLASS_ANNOTATIONS, CLASS_ANNOTATIONS_BEHAVIOUR)


INNER_REFERENCES = """\
openapi: 3.0.2
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Desc: {type: string, nullable: true, maxLength: 10}
    Value:
      type: object
      properties:
        description: {type: string, nullable: true, maxLength: 1000}
        value:
          oneOf:
            - {type: object, title: Flag, properties: {value: {type: boolean}}}
            - {type: object, title: Number, properties: {value: {type: number}}}
    Typed:
      type: object
      properties:
        default_value:
          oneOf:
            - $ref: '#/components/schemas/Value/properties/value/oneOf/0'
            - $ref: '#/components/schemas/Value/properties/value/oneOf/1'
          nullable: true
    Field:
      type: object
      properties:
        d: {$ref: '#/components/schemas/Desc'}
        description: {$ref: '#/components/schemas/Value/properties/description'}
        default_value: {$ref: '#/components/schemas/Typed/properties/default_value'}
"""

INNER_REFERENCES_BEHAVIOUR = """\
from pydantic import ValidationError
from specs.schemas import FieldModel

served = FieldModel.model_json_schema()
defs = served["$defs"]
for name in ("Desc", "Description", "DefaultValue"):
    assert "default" not in defs[name], defs[name]
assert "oneOf" in defs["DefaultValue"] and "anyOf" not in defs["DefaultValue"], defs
assert FieldModel.model_validate({"default_value": None, "d": None}).default_value is None
assert FieldModel.model_validate({"default_value": {"value": True}}).default_value is not None
try:
    FieldModel.model_validate({"default_value": {}})  # a Flag and a Number alike
except ValidationError as error:
    assert "2 members" in str(error), error
else:
    raise AssertionError("a value two members accept was taken")
"""


def test_a_schema_referenced_inside_another_is_served_as_written(tmp_path: Path) -> None:
    """pagerduty's ``$ref: '#/components/schemas/IncidentTypeCustomFields/properties/
    default_value'`` (a nullable ``oneOf``) and ``.../CustomFieldsFieldValue/properties/
    description`` (a nullable string): each a root class of its own, served as a
    component root is (``oneOf`` enforced), and a nullable root, there or a component,
    serves no ``default: null`` its schema does not give."""
    models_behave(tmp_path, INNER_REFERENCES, INNER_REFERENCES_BEHAVIOUR)


def test_an_all_of_member_narrowing_a_nullable_property_refuses_null(tmp_path: Path) -> None:
    """pagerduty's ``ChangeEvent``: ``allOf: [$ref Tag/allOf/0, {summary: {type: string}}]``
    where the base's ``summary`` is ``nullable``. A value must be valid against both, so
    null is refused, and the property is served without null."""
    contract = """\
openapi: 3.0.2
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Tag:
      allOf:
        - type: object
          properties:
            summary: {type: string, nullable: true, readOnly: true}
            note: {type: string}
        - {type: object, properties: {label: {type: string}}}
    ChangeEvent:
      allOf:
        - $ref: '#/components/schemas/Tag/allOf/0'
        - type: object
          properties:
            summary: {type: string, description: A brief text}
            note: {type: string, nullable: true}
"""
    models_behave(
        tmp_path,
        contract,
        "from pydantic import ValidationError\n"
        "from specs.schemas import ChangeEvent, Tag\n"
        "served = ChangeEvent.model_json_schema()['properties']\n"
        "assert served['summary']['type'] == 'string' and 'anyOf' not in served['summary']\n"
        "assert served['summary']['readOnly'] is True, served\n"
        "assert 'anyOf' not in served['note'], served\n"
        "for data in ({'summary': None}, {'note': None}):\n"
        "    try:\n"
        "        ChangeEvent.model_validate(data)\n"
        "    except ValidationError:\n"
        "        pass\n"
        "    else:\n"
        "        raise AssertionError(data)\n"
        "assert Tag.model_validate({'summary': None}).summary is None\n",
        typed=False,
    )


def test_a_null_member_another_all_of_member_refuses_is_left_out(tmp_path: Path) -> None:
    """openai's chat request: ``allOf: [$ref Properties, {top_logprobs: {type: integer,
    nullable: true}}]``, ``Properties`` itself ``allOf: [$ref Base, {top_logprobs:
    {type: integer}}]`` over ``Base``'s ``top_logprobs: anyOf: [{type: integer}, {type:
    "null"}]``. The middle declaration refuses null, so the property does: its null
    member, which datamodel-code-generator kept over both ``type`` keywords, goes."""
    contract = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Base:
      type: object
      properties:
        top: {anyOf: [{type: integer, minimum: 0, maximum: 20}, {type: 'null'}]}
        kept: {anyOf: [{type: integer}, {type: 'null'}]}
    Properties:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          properties:
            top: {type: integer, minimum: 0, maximum: 20}
    Request:
      allOf:
        - $ref: '#/components/schemas/Properties'
        - type: object
          properties:
            top: {type: integer, minimum: 0, maximum: 20, nullable: true}
            kept: {type: integer, nullable: true}
"""
    models_behave(
        tmp_path,
        contract,
        "from specs.schemas import Base, Request\n"
        "assert refused(Request, {'top': None}) and refused(Request, {'top': 21})\n"
        "assert Request.model_validate({'top': 3, 'kept': None}).top == 3\n"
        "assert Base.model_validate({'top': None}).top is None\n"
        "served = Request.model_json_schema()['properties']\n"
        "assert 'anyOf' not in served['top'] and served['top']['type'] == 'integer', served\n",
        typed=False,
    )


LOOSE_DISCRIMINATOR = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Track:
      type: object
      properties:
        type: {type: string, enum: [track]}
        name: {type: string}
    Episode:
      type: object
      required: [type]
      properties:
        type: {type: string, enum: [episode]}
        show: {type: string}
    Playing:
      oneOf: [{$ref: '#/components/schemas/Track'}, {$ref: '#/components/schemas/Episode'}]
      discriminator: {propertyName: type}
    Stamp: {type: object, properties: {at: {type: string}}}
    Entry:
      allOf:
        - $ref: '#/components/schemas/Stamp'
        - {type: object, properties: {kind: {type: string, enum: [ack, note, assign]}}}
    AckEntry:
      allOf:
        - $ref: '#/components/schemas/Entry'
        - {type: object, properties: {kind: {type: string, enum: [ack]}}}
    NoteEntry:
      allOf:
        - $ref: '#/components/schemas/Entry'
        - {type: object, properties: {kind: {type: string, enum: [note]}}}
    Log:
      type: object
      properties:
        entries:
          type: array
          items:
            oneOf:
              - $ref: '#/components/schemas/AckEntry'
              - $ref: '#/components/schemas/NoteEntry'
            discriminator: {propertyName: kind}
    Mapped:
      anyOf: [{$ref: '#/components/schemas/Track'}, {$ref: '#/components/schemas/Episode'}]
      discriminator:
        propertyName: type
        mapping: {song: '#/components/schemas/Track', episode: Episode}
    Cat:
      type: object
      required: [kind]
      properties: {kind: {type: string, enum: [cat]}, purrs: {type: boolean}}
    Dog:
      type: object
      required: [kind]
      properties: {kind: {type: string, enum: [dog]}}
    Pet:
      anyOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
      discriminator: {propertyName: kind}
    Pets:
      type: object
      properties:
        entries:
          type: array
          items:
            anyOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
            discriminator: {propertyName: kind}
            required: [kind]
    Queue:
      type: object
      properties:
        current:
          oneOf: [{$ref: '#/components/schemas/Track'}, {$ref: '#/components/schemas/Episode'}]
          discriminator: {propertyName: type}
          description: What plays now.
        items:
          type: array
          items:
            oneOf: [{$ref: '#/components/schemas/Track'}, {$ref: '#/components/schemas/Episode'}]
            discriminator: {propertyName: type}
        owner:
          oneOf:
            - type: object
              required: [type, id]
              properties: {type: {type: string, const: organization}, id: {type: string}}
            - type: object
              required: [type, id]
              properties: {type: {type: string, const: user}, id: {type: string}}
          discriminator: {propertyName: type}
"""

LOOSE_DISCRIMINATOR_BEHAVIOUR = """\
import json
from pydantic import ValidationError
from specs.schemas import Mapped, Playing, Queue, Track

# the member keeps its optional property: served and accepted as written
track = Track.model_json_schema()
assert "required" not in track, track
assert "type" in track["properties"], track
assert not refused(Track, {"name": "n"})

# a component union: served as written, its discriminator without an added mapping
served = Playing.model_json_schema()
assert served["discriminator"] == {"propertyName": "type"}, served
assert [m["$ref"] for m in served["oneOf"]] == ["#/$defs/Track", "#/$defs/Episode"], served
assert type(Playing.model_validate({"type": "track"}).root).__name__ == "Track"
assert type(Playing.model_validate({"type": "episode", "show": "s"}).root).__name__ == "Episode"
assert "'type' is required" in refused(Playing, {"name": "n"})
assert "selects no member" in refused(Playing, {"type": "Track"})
assert refused(Playing, {"type": "track", "name": 1})

# anyOf with a mapping as written: its values select, others are refused
served = Mapped.model_json_schema()
assert served["discriminator"] == {
    "propertyName": "type",
    "mapping": {"song": "#/components/schemas/Track", "episode": "Episode"},
}, served
assert "anyOf" in served and "oneOf" not in served, served
assert "not valid against Track" in refused(Mapped, {"type": "song"})  # Track lists "track"
assert not refused(Mapped, {"type": "episode"})
assert "selects no member" in refused(Mapped, {"type": "track"})

# lichess's timeline entries: anyOf of members each requiring one value, served as anyOf
from specs.schemas import Pet
served = Pet.model_json_schema()
assert "anyOf" in served and "oneOf" not in served, served
assert served["discriminator"] == {"propertyName": "kind"}, served
assert type(Pet.model_validate({"kind": "cat"}).root).__name__ == "Cat"
assert "selects no member" in refused(Pet, {"kind": "cow"})
assert refused(Pet, {"kind": "cat", "purrs": "loud"})
from specs.schemas import Pets
items = Pets.model_json_schema()["properties"]["entries"]["items"]
assert "anyOf" in items and "oneOf" not in items, items
assert items["required"] == ["kind"] and items["discriminator"] == {"propertyName": "kind"}
assert "selects no member" in refused(Pets, {"entries": [{"kind": "cow"}]})

# a property, an array's items, inline members: served where written, enforced there
served = Queue.model_json_schema()
current = served["properties"]["current"]
assert current["discriminator"] == {"propertyName": "type"} and "oneOf" in current, current
assert current["description"] == "What plays now."
items = served["properties"]["items"]["items"]
assert items["discriminator"] == {"propertyName": "type"} and "oneOf" in items, items
owner = served["properties"]["owner"]
assert owner["discriminator"] == {"propertyName": "type"} and "mapping" not in owner, owner
assert [m["properties"]["type"]["const"] for m in owner["oneOf"]] == ["organization", "user"], owner
assert "x-discriminated" not in json.dumps(served)
assert Queue.model_validate({"current": {"type": "track"}}).current.type == "track"
assert "current: the discriminating property 'type' is required" in refused(
    Queue, {"current": {"name": "n"}})
assert "items: the discriminating property" in refused(Queue, {"items": [{"type": "track"}, {}]})
assert "selects no member" in refused(Queue, {"items": [{"type": "podcast"}]})
assert not refused(Queue, {"owner": {"type": "user", "id": "u"}})
# pagerduty's log entries: subclasses narrowing an inherited enum (optional) to one value
from specs.schemas import AckEntry, Log
assert not refused(AckEntry, {"at": "now"})
assert refused(AckEntry, {"kind": "note"})
assert "required" not in AckEntry.model_json_schema(), AckEntry.model_json_schema()
entries = Log.model_validate({"entries": [{"kind": "note"}, {"kind": "ack"}]}).entries
assert [type(e).__name__ for e in entries] == ["NoteEntry", "AckEntry"]
assert "selects no member" in refused(Log, {"entries": [{"kind": "assign"}]})
items = Log.model_json_schema()["properties"]["entries"]["items"]
assert items["discriminator"] == {"propertyName": "kind"} and "oneOf" in items, items
assert refused(Queue, {"owner": {"type": "team", "id": "u"}})
assert "'type' is required" in refused(Queue, {"owner": {"id": "u"}})
"""


def test_a_discriminator_pydantic_would_not_serve_as_written_is_served_and_enforced(
    tmp_path: Path,
) -> None:
    """Spotify's ``currently_playing``: a ``oneOf`` of ``TrackObject`` (``type`` optional)
    and ``EpisodeObject`` with ``discriminator: {propertyName: type}``. pydantic's
    discriminated union would make ``Track.type`` a required ``Literal`` (served so
    wherever ``Track`` is) and serve a mapping the contract does not write; workos's
    inline members would be served with a mapping to generated names. Such a union is
    a plain one served with its keyword and discriminator as written, and enforced as
    the discriminator says: the property names a member, whose schema the value meets.
    lichess's ``anyOf`` of timeline entries would be served as a ``oneOf``."""
    models_behave(tmp_path, LOOSE_DISCRIMINATOR, LOOSE_DISCRIMINATOR_BEHAVIOUR)


SHARED_AND_ANNOTATED_MEMBERS = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Said:
      type: object
      required: [type, role]
      properties:
        type: {type: string, enum: [message]}
        role: {type: string, enum: [user]}
    Answered:
      type: object
      required: [type, role]
      properties:
        type: {type: string, enum: [message]}
        role: {type: string, enum: [assistant]}
    Call:
      type: object
      required: [type]
      properties:
        type: {type: string, enum: [call]}
        name: {type: string}
    OldCall:
      type: object
      required: [type]
      properties:
        type: {type: string, enum: [old_call]}
    Item:
      oneOf:
        - $ref: '#/components/schemas/Said'
        - $ref: '#/components/schemas/Answered'
        - $ref: '#/components/schemas/Call'
      discriminator: {propertyName: type}
    Output:
      oneOf:
        - $ref: '#/components/schemas/Call'
        - $ref: '#/components/schemas/OldCall'
          deprecated: true
      discriminator: {propertyName: type}
    Listing:
      type: object
      properties:
        data: {type: array, items: {$ref: '#/components/schemas/Item'}}
        output:
          type: array
          items:
            anyOf:
              - $ref: '#/components/schemas/Call'
              - $ref: '#/components/schemas/OldCall'
                deprecated: true
                description: Still sent by old clients.
            discriminator: {propertyName: type}
"""

SHARED_AND_ANNOTATED_MEMBERS_BEHAVIOUR = """\
from specs.schemas import Item, Listing, Output

# a value two members list: served as written (oneOf of the references, no mapping added)
served = Item.model_json_schema()
assert served["discriminator"] == {"propertyName": "type"}, served
assert served["oneOf"] == [
    {"$ref": "#/$defs/Said"}, {"$ref": "#/$defs/Answered"}, {"$ref": "#/$defs/Call"}
], served
assert type(Item.model_validate({"type": "message", "role": "user"}).root).__name__ == "Said"
assert type(Item.model_validate({"type": "message", "role": "assistant"}).root).__name__ == (
    "Answered")
assert "not valid against Said or Answered" in refused(Item, {"type": "message", "role": "x"})
assert "selects no member" in refused(Item, {"type": "said", "role": "user"})
assert "'type' is required" in refused(Item, {"role": "user"})

# a member's annotations beside its reference: served there, the member still selected
served = Output.model_json_schema()
assert served["discriminator"] == {"propertyName": "type"}, served
assert served["oneOf"] == [
    {"$ref": "#/$defs/Call"}, {"$ref": "#/$defs/OldCall", "deprecated": True}
], served
assert type(Output.model_validate({"type": "old_call"}).root).__name__ == "OldCall"
assert "selects no member" in refused(Output, {"type": "new_call"})
items = Listing.model_json_schema()["properties"]["output"]["items"]
assert items["anyOf"] == [
    {"$ref": "#/$defs/Call"},
    {"$ref": "#/$defs/OldCall", "deprecated": True, "description": "Still sent by old clients."},
], items
assert items["discriminator"] == {"propertyName": "type"}, items
assert not refused(Listing, {"output": [{"type": "old_call"}, {"type": "call"}]})
assert "selects no member" in refused(Listing, {"output": [{"type": "new_call"}]})
"""


def test_discriminated_members_sharing_a_value_or_annotated_are_served_as_written(
    tmp_path: Path,
) -> None:
    """openai's ``ItemResource``: a ``oneOf`` of references with ``discriminator:
    {propertyName: type}`` two of whose members (``InputMessageResource``,
    ``OutputMessage``) both require ``type: message``. pydantic's discriminated union
    cannot have a value select two members, so datamodel-code-generator dropped the
    discriminator and the union was served as a plain ``anyOf``. openai's ``ItemField``:
    members ``{$ref: LocalShellToolCall, deprecated: true}`` were read as inline members,
    served without ``deprecated``, and their values selected nothing (the union left
    open, its served mapping short of them). Both are served with their keyword, their
    members' references (annotations beside them) and their ``discriminator`` as written,
    and enforced as it says: a value must be valid against a member it selects."""
    models_behave(tmp_path, SHARED_AND_ANNOTATED_MEMBERS, SHARED_AND_ANNOTATED_MEMBERS_BEHAVIOUR)


def test_a_root_default_ruff_wrapped_over_lines_is_removed_whole() -> None:
    """sentry's ``AxisRange``: datamodel-code-generator's ``root: ... = (MISSING)`` wrapped
    over three lines by ruff; the root keeps no default, and the code still parses."""
    import ast

    from generators.emit.schemas import _root_defaults_as_written

    code = (
        "class AxisRange(RootModel[AxisRangeEnum | None | MISSING]):\n"
        '    root: Annotated[AxisRangeEnum | None, Field(description="* `auto`")] = (\n'
        "        MISSING\n"
        "    )\n"
    )
    document = {"components": {"schemas": {"W": {"properties": {"axis": {"enum": ["auto"]}}}}}}
    models = [
        {
            "class_name": "AxisRange",
            "source_path": ["components", "schemas", "W", "properties", "axis"],
        }
    ]
    kept = _root_defaults_as_written(code, document, models)
    root = ast.parse(kept).body[0].body[0]  # type: ignore[attr-defined]
    assert isinstance(root, ast.AnnAssign) and root.value is None, kept


PATTERN_MAP = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Actor:
      type: object
      properties:
        metadata:
          type: object
          maxProperties: 2
          additionalProperties: false
          patternProperties:
            '^[a-z_]{0,8}$':
              anyOf: [{type: string, maxLength: 5}, {type: number}, {type: boolean}]
        labels:
          type: object
          minProperties: 1
          patternProperties:
            '^l_': {type: string}
"""

PATTERN_MAP_BEHAVIOUR = """\
from pydantic import ValidationError
from specs.schemas import Actor

served = Actor.model_json_schema()["properties"]
assert served["metadata"]["maxProperties"] == 2, served
assert served["metadata"]["additionalProperties"] is False, served
assert "^[a-z_]{0,8}$" in served["metadata"]["patternProperties"], served
assert served["labels"]["minProperties"] == 1, served
assert not refused(Actor, {"metadata": {"owner": "u", "n": 1}, "labels": {"l_a": "x"}})
assert "at most 2" in refused(Actor, {"metadata": {"a": 1, "b": 2, "c": 3}})
assert refused(Actor, {"metadata": {"Owner": "u"}})  # no pattern matches: closed
assert refused(Actor, {"metadata": {"owner": "toolong"}})  # the value's maxLength
assert "at least 1" in refused(Actor, {"labels": {}})
"""


def test_a_bounded_pattern_map_is_served_and_enforced(tmp_path: Path) -> None:
    """WorkOS's audit-log ``metadata``: ``patternProperties`` beside ``maxProperties`` and
    ``additionalProperties: false``. datamodel-code-generator types the keys by the
    pattern but dropped the bound and the closing: both were missing from the served
    schema and the bound was not enforced."""
    models_behave(tmp_path, PATTERN_MAP, PATTERN_MAP_BEHAVIOUR)


NULLABLE_MAPS = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Attributes:
      anyOf:
        - type: object
          maxProperties: 2
          propertyNames: {type: string, maxLength: 3}
          additionalProperties:
            oneOf: [{type: string, maxLength: 4}, {type: number}, {type: integer}]
        - type: 'null'
    Counted:
      type: [object, 'null']
      minProperties: 1
      propertyNames: {pattern: '^[a-z]+$'}
      additionalProperties: {type: string}
    Closed:
      oneOf:
        - type: object
          patternProperties: {'^x-': {type: string}}
          additionalProperties: false
          maxProperties: 1
        - type: 'null'
    Holder:
      type: object
      properties:
        attributes: {$ref: '#/components/schemas/Attributes'}
        counted: {$ref: '#/components/schemas/Counted'}
        closed: {$ref: '#/components/schemas/Closed'}
        labels:
          anyOf:
            - {type: object, maxProperties: 1, additionalProperties: {type: string}}
            - type: 'null'
        tags:
          type: [object, 'null']
          propertyNames: {type: string, pattern: '^t'}
          additionalProperties: {type: integer}
"""

NULLABLE_MAPS_BEHAVIOUR = """\
from pydantic import ValidationError
from specs.schemas import Attributes, Closed, Counted, Holder

def member(schema):
    return next(m for m in schema["anyOf"] if m.get("type") == "object")

whole = Attributes.model_json_schema()
served = member(whole)
assert served["maxProperties"] == 2, served
assert served["propertyNames"] == {"type": "string", "maxLength": 3}, served
values = served["additionalProperties"]  # inline, or a class of its own
values = whole["$defs"][values["$ref"].rsplit("/", 1)[1]] if "$ref" in values else values
assert len(values["oneOf"]) == 3, whole
assert member(Counted.model_json_schema())["minProperties"] == 1
assert member(Counted.model_json_schema())["propertyNames"] == {"pattern": "^[a-z]+$"}
assert member(Closed.model_json_schema())["additionalProperties"] is False
assert member(Closed.model_json_schema())["maxProperties"] == 1
properties = Holder.model_json_schema()["properties"]
assert member(properties["labels"])["maxProperties"] == 1, properties
assert member(properties["tags"])["propertyNames"] == {"type": "string", "pattern": "^t"}
assert "x-map" not in str(Holder.model_json_schema())
for ok in (
    {"attributes": None, "counted": None, "closed": None, "labels": None, "tags": None},
    {"attributes": {"a": "x", "b": 1.5}, "counted": {"ab": "x"}, "closed": {"x-a": "1"}},
    {"labels": {"a": "b"}, "tags": {"t1": 1}},
):
    assert not refused(Holder, ok), refused(Holder, ok)
assert "at most 2" in refused(Holder, {"attributes": {"a": 1.5, "b": 1.5, "c": 1.5}})
assert refused(Holder, {"attributes": {"long": "x"}})  # propertyNames' maxLength
assert refused(Holder, {"attributes": {"a": 1}})  # a number and an integer: not exactly one
assert "at least 1" in refused(Holder, {"counted": {}})
assert refused(Holder, {"counted": {"AB": "x"}})
assert refused(Holder, {"closed": {"y": "1"}})
assert refused(Holder, {"closed": {"x-a": "1", "x-b": "2"}})
assert "at most 1" in refused(Holder, {"labels": {"a": "1", "b": "2"}})
assert refused(Holder, {"tags": {"x": 1}})
"""


def test_a_nullable_map_keeps_what_its_dict_does_not_say(tmp_path: Path) -> None:
    """openai's ``VectorStoreFileAttributes``: ``anyOf: [{type: object, maxProperties,
    propertyNames: {type: string, maxLength}, additionalProperties: {oneOf: [...]}},
    {type: "null"}]``, referenced from many operations. datamodel-code-generator's
    ``dict[K, V] | None`` dropped the bounds, served ``propertyNames`` without its type
    (a ``pattern`` as ``patternProperties``) and the values' ``oneOf`` as ``anyOf``; a
    nullable pattern map lost its closing. As a component or a property, nullable by
    ``anyOf``/``oneOf`` or a type list, each is served as written and enforced."""
    models_behave(tmp_path, NULLABLE_MAPS, NULLABLE_MAPS_BEHAVIOUR)


HELD_DEFAULTS = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Embedding:
      type: object
      required: [input]
      properties:
        input:
          oneOf:
            - {type: string, default: ''}
            - {type: array, minItems: 1, items: {type: string, default: ''}}
            - {type: array, items: {type: integer}}
        tags: {type: array, items: {type: string, default: untagged}}
        mode:
          anyOf: [{type: string, enum: [a, b], default: a}, {type: string, enum: [c]}]
        prompt:  # 3.0's nullable union: its null a member of its own, as before
          nullable: true
          oneOf: [{type: string, default: ''}, {type: integer}]
"""

HELD_DEFAULTS_BEHAVIOUR = """\
from pydantic import ValidationError
from specs.schemas import Embedding

served = Embedding.model_json_schema()
definitions = served["$defs"]

def resolved(schema):
    ref = schema.get("$ref")
    return definitions[ref.rsplit("/", 1)[1]] if ref else schema

members = [resolved(m) for m in served["properties"]["input"]["oneOf"]]
assert members[0]["default"] == "", members
assert resolved(members[1]["items"])["default"] == "", members
assert resolved(served["properties"]["tags"]["items"])["default"] == "untagged", served
assert served["properties"]["mode"]["default"] == "a", served  # a values-only union's
assert not [name for name in definitions if name.startswith("EmbeddingMode")], definitions
assert {"type": "null"} in served["properties"]["prompt"]["oneOf"], served
for ok in ({"input": "a"}, {"input": ["a"]}, {"input": [1]}, {"input": "a", "tags": ["t"]}):
    assert Embedding.model_validate(ok).model_dump(mode="json")["input"] == ok["input"]
Embedding.model_validate({"input": "a", "prompt": None})
for bad in ({"input": 1}, {"input": ["a", 1]}, {"input": "a", "tags": [1]}):
    try:
        Embedding.model_validate(bad)
    except ValidationError:
        continue
    raise AssertionError(bad)
"""


def test_a_default_a_bare_type_cannot_hold_is_served(tmp_path: Path) -> None:
    """openai's embeddings ``input``: ``oneOf: [{type: string, default: ""}, {type:
    array, items: {type: string, default: ""}}, ...]``. datamodel-code-generator types a
    union member and an array's items as bare types (``str | list[str]``), which hold no
    default: both were served without it. Each becomes a component of its own, whose
    class serves the default; a union of values keeps its default beside it (rule 16)."""
    models_behave(tmp_path, HELD_DEFAULTS, HELD_DEFAULTS_BEHAVIOUR)


def test_a_one_of_of_two_members_admitting_null_is_served_without_another_null(
    tmp_path: Path,
) -> None:
    """pagerduty's custom field value: ``oneOf: [{type: string, nullable: true}, {type:
    array, nullable: true}]``. pydantic's union added a third, null member; null is valid
    against both members, so the ``oneOf`` refuses it either way: it is served with the
    two members as written, and null is still refused."""
    contract = """\
openapi: 3.0.2
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    FieldValue:
      type: object
      properties:
        value:
          oneOf:
            - {type: string, maxLength: 200, nullable: true}
            - {type: array, items: {type: string}, maxItems: 10, nullable: true}
        other:
          oneOf:
            - {type: string, nullable: true}
            - {type: integer}
"""
    models_behave(
        tmp_path,
        contract,
        "from pydantic import ValidationError\n"
        "from specs.schemas import FieldValue\n"
        "served = FieldValue.model_json_schema()['properties']\n"
        "assert len(served['value']['oneOf']) == 2, served\n"
        "assert {'type': 'null'} in served['other']['oneOf'], served\n"
        "for ok in ({'value': 'a'}, {'value': ['a']}, {'other': None}, {'other': 3}):\n"
        "    FieldValue.model_validate(ok)\n"
        "try:\n"
        "    FieldValue.model_validate({'value': None})\n"
        "except ValidationError:\n"
        "    pass\n"
        "else:\n"
        "    raise AssertionError('null, valid against both members, was accepted')\n",
        typed=False,
    )


def test_a_schema_an_all_of_lists_alone_keeps_the_names_it_requires(tmp_path: Path) -> None:
    """pagerduty's incident ``body``: ``allOf: [$ref IncidentBody]``, which requires a
    ``type`` it does not declare. No other member may declare it: the object must hold
    it, as beside no ``allOf`` (the base of an ``allOf`` with other members still leaves
    it to them)."""
    contract = """\
openapi: 3.0.2
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    IncidentBody:
      type: object
      properties: {details: {type: object}}
      required: [type]
    Incident:
      type: object
      properties:
        body:
          description: The body, when asked for.
          allOf: [{$ref: '#/components/schemas/IncidentBody'}]
"""
    models_behave(
        tmp_path,
        contract,
        "from pydantic import ValidationError\n"
        "from specs.schemas import IncidentBody, Incident\n"
        "assert IncidentBody.model_json_schema()['required'] == ['type']\n"
        "Incident.model_validate({'body': {'type': 'x'}})\n"
        "try:\n"
        "    Incident.model_validate({'body': {'details': {}}})\n"
        "except ValidationError:\n"
        "    pass\n"
        "else:\n"
        "    raise AssertionError('a body without its required type was accepted')\n",
        typed=False,
    )


def test_an_enum_narrowed_to_values_its_base_does_not_list_admits_what_both_do(
    tmp_path: Path,
) -> None:
    """pagerduty's ``AcknowledgeLogEntry``: ``allOf: [LogEntry, {type: {enum:
    [acknowledgement_log_entry]}}]`` where ``LogEntry.type`` lists
    ``acknowledge_log_entry`` (and others). A value must be in both enums: none is, so
    the property can only be absent (served ``enum: []``); where they share some, those
    (a ``Literal`` of the base's members). A new enum overriding the base's was a type
    mypy refused."""
    contract = """\
openapi: 3.0.2
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Tag:
      allOf:
        - type: object
          properties: {id: {type: string}, type: {type: string, readOnly: true}}
    LogEntry:
      allOf:
        - $ref: '#/components/schemas/Tag/allOf/0'
        - type: object
          properties:
            type: {type: string, enum: [acknowledge_log_entry, resolve_log_entry]}
    AcknowledgeLogEntry:
      allOf:
        - $ref: '#/components/schemas/LogEntry'
        - type: object
          properties:
            timeout: {type: integer}
            type: {type: string, enum: [acknowledgement_log_entry]}
    ResolveLogEntry:
      allOf:
        - $ref: '#/components/schemas/LogEntry'
        - type: object
          properties:
            type: {type: string, enum: [resolve_log_entry, reopen_log_entry]}
"""
    models_behave(
        tmp_path,
        contract,
        "from pydantic import ValidationError\n"
        "from specs.schemas import AcknowledgeLogEntry, ResolveLogEntry\n"
        "served = AcknowledgeLogEntry.model_json_schema()['properties']\n"
        "assert served['type']['enum'] == [] and served['type']['readOnly'], served\n"
        "AcknowledgeLogEntry.model_validate({'timeout': 3})\n"
        "ResolveLogEntry.model_validate({'type': 'resolve_log_entry'})\n"
        "for model, value in ((AcknowledgeLogEntry, 'acknowledgement_log_entry'),\n"
        "                     (AcknowledgeLogEntry, 'acknowledge_log_entry'),\n"
        "                     (ResolveLogEntry, 'reopen_log_entry')):\n"
        "    try:\n"
        "        model.model_validate({'type': value})\n"
        "    except ValidationError:\n"
        "        continue\n"
        "    raise AssertionError((model, value))\n",
    )


JOINED_MEMBERS = """\
openapi: 3.0.2
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Global:
      allOf:
        - type: object
          properties:
            path:
              type: object
              properties:
                type: {type: string, default: service, readOnly: true}
                parent:
                  type: object
                  properties: {id: {type: string}, type: {type: string}}
                sets:
                  type: array
                  items:
                    type: object
                    properties:
                      id: {type: string}
                      rules:
                        type: array
                        items:
                          type: object
                          properties: {label: {type: string}, route_to: {type: string}}
        - type: object
          properties:
            path:
              properties:
                type: {default: global}
                parent: {properties: {type: {enum: [global_reference]}}}
    Service:
      allOf:
        - $ref: '#/components/schemas/Global/allOf/0'
        - type: object
          properties:
            path:
              allOf:
                - type: object
                  properties: {migrated_at: {type: string}}
                - type: object
                  properties:
                    parent: {properties: {type: {enum: [service_reference]}}}
                    sets:
                      items:
                        properties:
                          rules: {items: {properties: {route_to: {type: string}}}}
                    catch_all: {$ref: '#/components/schemas/Router/allOf/1/properties/catch_all'}
    Router:
      allOf:
        - type: object
          properties: {id: {type: string}}
        - type: object
          properties:
            catch_all: {type: object, properties: {suppress: {type: boolean}}}
    Mentions:
      type: object
      properties:
        action:
          $ref: '#/components/schemas/Service/allOf/1/properties/path/allOf/1/properties/parent'
"""

JOINED_MEMBERS_BEHAVIOUR = """\
from pydantic import ValidationError
from specs.schemas import Service, Router

served = Service.model_json_schema()
defs = served["$defs"]

def resolved(node):
    ref = node.get("$ref")
    return defs[ref.rsplit("/", 1)[-1]] if ref else node

path = resolved(served["properties"]["path"])["properties"]
assert set(path) == {"type", "parent", "sets", "migrated_at", "catch_all"}, path
assert resolved(resolved(path["parent"])["properties"]["type"])["enum"] == ["service_reference"]
item = resolved(resolved(path["sets"])["items"])["properties"]
assert set(item) == {"id", "rules"}, item
rule = resolved(resolved(item["rules"])["items"])["properties"]
assert set(rule) == {"label", "route_to"}, rule
assert set(resolved(path["catch_all"])["properties"]) == {"suppress"}
Service.model_validate({"path": {"parent": {"type": "service_reference"}}})
try:
    Service.model_validate({"path": {"parent": {"type": "global_reference"}}})
except ValidationError:
    pass
else:
    raise AssertionError("the inner member's narrowed parent type was dropped")
assert set(Router.model_json_schema()["properties"]) == {"id", "catch_all"}
"""


def test_an_all_of_of_plain_objects_declaring_a_property_again_is_one_object(
    tmp_path: Path,
) -> None:
    """pagerduty's service orchestration: a property its base declares is declared again
    by an ``allOf`` of plain objects, one narrowing ``parent.type`` and ``sets``' items.
    That ``allOf`` is the one object of their properties (references into a member point
    into it), which datamodel-code-generator merges with the base's declaration: both
    members' properties are served and the narrowed values enforced."""
    models_behave(tmp_path, JOINED_MEMBERS, JOINED_MEMBERS_BEHAVIOUR)


def test_an_all_of_members_class_annotations_are_the_merged_class_s(tmp_path: Path) -> None:
    """pagerduty's ``WebhookIncidentAction``: ``allOf: [$ref Action, {...}]`` with
    ``Action`` read-only and its ``type`` narrowed (so the class merges ``Action``'s
    keywords rather than deriving from it). What ``Action`` annotates holds for every
    value of the whole: the merged class serves ``readOnly`` wherever it is used."""
    contract = """\
openapi: 3.0.2
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Action:
      type: object
      readOnly: true
      properties: {id: {type: string}, type: {type: string}}
    IncidentAction:
      allOf:
        - $ref: '#/components/schemas/Action'
        - type: object
          properties: {event: {type: string}, type: {type: string, enum: [incident]}}
    Message:
      type: object
      properties:
        messages: {type: array, items: {$ref: '#/components/schemas/IncidentAction'}}
"""
    models_behave(
        tmp_path,
        contract,
        "from specs.schemas import Message\n"
        "served = Message.model_json_schema()['$defs']['IncidentAction']\n"
        "assert served['readOnly'] is True, served\n",
        typed=False,
    )


NULLABLE_ONE_OF = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /a:
    post:
      operationId: a
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Holder'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Holder'}
components:
  schemas:
    Local:
      type: object
      properties: {type: {type: string, enum: [local]}, path: {type: string}}
      required: [type]
    Remote:
      type: object
      properties: {type: {type: string, enum: [remote]}, url: {type: string}}
      required: [type]
    Choice:
      oneOf: [{type: string, enum: [auto, none]}, {$ref: '#/components/schemas/Local'}]
    Holder:
      type: object
      properties:
        size:
          anyOf:
            - description: a size
              oneOf: [{type: string, enum: [auto]}, {type: integer, minimum: 1}]
              default: auto
            - type: 'null'
        place:
          anyOf:
            - oneOf: [{$ref: '#/components/schemas/Local'}, {$ref: '#/components/schemas/Remote'}]
              discriminator: {propertyName: type}
            - type: 'null'
        choice:
          allOf:
            - $ref: '#/components/schemas/Choice'
            - nullable: true
              description: may be null
        names:
          type: array
          items:
            anyOf:
              - oneOf: [{type: number}, {type: integer}]
              - type: 'null'
"""

NULLABLE_ONE_OF_BEHAVIOUR = """\
from pydantic import ValidationError
from specs.schemas import Holder

served = Holder.model_json_schema()["properties"]
for name in ("size", "place"):
    assert "oneOf" in served[name] and "anyOf" not in served[name], served[name]
assert served["place"]["discriminator"] == {"propertyName": "type"}, served["place"]
ok = {"size": None, "place": None, "choice": "auto", "names": [None, 1.5]}
assert Holder.model_validate(ok).model_dump(mode="json", exclude_unset=True) == ok
assert Holder.model_validate({"place": {"type": "local"}}).place is not None
for wrong in ({"names": [2]}, {"size": 1.5}, {"place": {"type": "other"}}, {"choice": None}):
    try:
        Holder.model_validate(wrong)
    except ValidationError:
        continue
    raise AssertionError(wrong)
"""


def test_a_one_of_in_a_nullable_wrapper_is_served_and_enforced(tmp_path: Path) -> None:
    """openai's ``anyOf: [{oneOf: [...]}, {type: "null"}]`` (MCP's ``allowed_tools``, a
    fine-tuning ``batch_size`` with its default, the shell tool's discriminated
    ``environment``, array items) and ``allOf: [$ref to a oneOf, {nullable: true}]``
    (``tool_choice``): datamodel-code-generator flattened the nested union (served
    ``anyOf``, a value two members accept taken) and made a class of each member of an
    ``allOf`` it distributed over the ``oneOf``. Served as ``oneOf`` (the discriminator
    beside it), null taken where the wrapper admits it, a value two members accept
    refused, and the ``{nullable: true}`` member, which admits no null without a
    ``type``, adds nothing."""
    served_and_behaves(tmp_path, NULLABLE_ONE_OF, "1/1", NULLABLE_ONE_OF_BEHAVIOUR)


REQUIRED_AGAIN = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Assistant:
      type: object
      properties: {role: {type: string, enum: [assistant]}, text: {type: string}}
      required: [role]
    User:
      type: object
      properties: {role: {type: string, enum: [user]}, text: {type: string}}
      required: [role]
    Message:
      oneOf: [{$ref: '#/components/schemas/Assistant'}, {$ref: '#/components/schemas/User'}]
      discriminator: {propertyName: role}
    Tuned:
      allOf:
        - type: object
          properties: {weight: {type: integer, enum: [0, 1]}}
        - $ref: '#/components/schemas/Assistant'
      required: [role]
"""


def test_a_name_required_again_beside_an_all_of_is_mypy_clean(tmp_path: Path) -> None:
    """openai's ``FineTuneChatCompletionRequestAssistantMessage``: ``required: [role]``
    beside ``allOf: [{...}, $ref ChatCompletionRequestAssistantMessage]``, whose ``role``
    is required already and a discriminating ``Literal``. The subclass redeclared ``role``
    with its enum, which mypy refuses (an override wider than the base's); the conjunction
    requires it either way, and still does."""
    root = generated_models(tmp_path, REQUIRED_AGAIN)
    checked = mypy_strict(root)
    assert checked.returncode == 0, checked.stdout
    behaviour = run_python(
        root,
        "from pydantic import ValidationError\n"
        "from specs.schemas import Tuned\n"
        "assert Tuned.model_validate({'role': 'assistant', 'weight': 1}).weight == 1\n"
        "for wrong in ({'weight': 1}, {'role': 'user'}):\n"
        "    try:\n"
        "        Tuned.model_validate(wrong)\n"
        "    except ValidationError:\n"
        "        continue\n"
        "    raise AssertionError(wrong)\n",
    )
    assert behaviour.returncode == 0, behaviour.stderr


NULLABLE_CONTAINER_ONE_OF = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /a:
    post:
      operationId: a
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Holder'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Holder'}
components:
  schemas:
    Holder:
      type: object
      properties:
        state:
          anyOf:
            - type: object
              additionalProperties:
                oneOf: [{type: string}, {type: integer}, {type: boolean}, {type: number}]
            - type: 'null'
        counts:
          anyOf:
            - type: array
              items:
                oneOf: [{type: integer}, {type: number}]
            - type: 'null'
"""

NULLABLE_CONTAINER_ONE_OF_BEHAVIOUR = """\
from pydantic import ValidationError
from specs.schemas import Holder

ok = {"state": {"a": "x", "b": 1.5, "c": True}, "counts": [1.5]}
assert Holder.model_validate(ok).model_dump(mode="json", exclude_unset=True) == ok
assert Holder.model_validate({"state": None, "counts": None}).state is None
for wrong in ({"state": {"a": 1}}, {"counts": [2]}):
    try:
        Holder.model_validate(wrong)
    except ValidationError:
        continue
    raise AssertionError(wrong)
"""


def test_a_one_of_in_a_nullable_maps_values_is_served_and_enforced(tmp_path: Path) -> None:
    """openai's chatkit ``state_variables``: ``anyOf: [{type: object,
    additionalProperties: {oneOf: [string, integer, boolean, number]}}, {type: "null"}]``
    (and the items of a nullable array). The map's values were served as a type list
    (pydantic's ``anyOf``) and ``1``, an integer and a number, was taken; served as
    ``oneOf`` and refused, as for a map that is not nullable."""
    served_and_behaves(
        tmp_path, NULLABLE_CONTAINER_ONE_OF, "1/1", NULLABLE_CONTAINER_ONE_OF_BEHAVIOUR
    )


DEPRECATED_BRANCH = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /a:
    post:
      operationId: a
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Holder'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Holder'}
components:
  schemas:
    Retention: {type: string, enum: [in_memory, 24h]}
    Holder:
      type: object
      properties:
        retention:
          anyOf:
            - {$ref: '#/components/schemas/Retention', description: How long, deprecated: true}
            - type: 'null'
        inline:
          anyOf:
            - {type: string, deprecated: true, default: x}
            - type: 'null'
"""

DEPRECATED_BRANCH_BEHAVIOUR = """\
from specs.schemas import Holder

served = Holder.model_json_schema()["properties"]
assert served["retention"]["deprecated"] is True, served["retention"]
assert served["inline"]["deprecated"] is True and served["inline"]["default"] == "x"
"""


def test_a_deprecated_branch_beside_null_is_a_deprecated_property(tmp_path: Path) -> None:
    """openai's ``prompt_cache_retention``: ``anyOf: [{$ref: PromptCacheRetentionEnum,
    deprecated: true}, {type: "null"}]``. datamodel-code-generator dropped the branch's
    ``deprecated`` (as it did its ``default``, already moved beside the union); served
    beside it, the property's."""
    served_and_behaves(tmp_path, DEPRECATED_BRANCH, "1/1", DEPRECATED_BRANCH_BEHAVIOUR)


def test_a_null_anywhere_in_the_document_is_walked_past() -> None:
    """xero_accounting's extension data holds nulls (``x-...: {key: null}``): the walk of
    ``one_of.nullable_flattened`` read a None value as "start at the document" and
    recursed until Python stopped it, so the contract no longer generated."""
    from generators.emit import one_of

    document: dict[str, Any] = {
        "paths": {"/a": {"get": {"x-meta": [{"object": None, "key": "a"}]}}},
        "components": {
            "schemas": {
                "Pet": {
                    "anyOf": [
                        {"oneOf": [{"type": "string"}, {"type": "integer"}]},
                        {"type": "null"},
                    ],
                    "x-note": None,
                }
            }
        },
    }
    one_of.nullable_flattened(document)
    assert document["components"]["schemas"]["Pet"]["oneOf"] == [
        {"type": "string"},
        {"type": "integer"},
        {"type": "null"},
    ]


def test_a_component_keeps_its_class_name_from_every_inline_schema_that_takes_it(
    tmp_path: Path,
) -> None:
    """openai's ``AuditLog``: the items of two inline arrays named ``certificates`` come
    before the component ``Certificate``; the first took ``Certificate``, the second is
    the same schema and datamodel-code-generator made it that class too. Swapping names
    by a second run released ``Certificate`` to the second one, and routers served it in
    place of the component. Every inline schema that took the name gives it back."""
    contract = """\
openapi: 3.0.3
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    AuditLog:
      type: object
      properties:
        activated:
          type: object
          properties:
            certificates:
              type: array
              items: {type: object, properties: {id: {type: string}}}
        deactivated:
          type: object
          properties:
            certificates:
              type: array
              items: {type: object, properties: {id: {type: string}}}
    Certificate:
      type: object
      required: [id, name]
      properties:
        id: {type: string}
        name: {type: string}
"""
    models_behave(
        tmp_path,
        contract,
        "from specs.schemas import AuditLog, Certificate\n"
        "assert Certificate.model_json_schema()['required'] == ['id', 'name']\n"
        "log = AuditLog.model_validate({'activated': {'certificates': [{'id': 'a'}]},\n"
        "    'deactivated': {'certificates': [{'id': 'b'}]}})\n"
        "assert not isinstance(log.deactivated.certificates[0], Certificate), log\n"
        "assert not isinstance(log.activated.certificates[0], Certificate), log\n",
    )


NESTED_ONE_OF = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Text:
      type: object
      required: [text]
      properties: {text: {type: string}}
    Image:
      type: object
      required: [url]
      properties: {url: {type: string}}
    Message:
      type: object
      properties:
        content:
          oneOf:
            - type: string
            - type: array
              items:
                oneOf: [{$ref: '#/components/schemas/Text'}, {$ref: '#/components/schemas/Image'}]
        part:
          anyOf:
            - {type: integer}
            - oneOf: [{$ref: '#/components/schemas/Text'}, {$ref: '#/components/schemas/Image'}]
    Variables:
      anyOf:
        - type: object
          additionalProperties:
            oneOf:
              - {type: string}
              - {$ref: '#/components/schemas/Text'}
              - {$ref: '#/components/schemas/Image'}
        - {type: 'null'}
"""


def test_a_one_of_nested_in_a_union_member_is_served_and_enforced_as_written(
    tmp_path: Path,
) -> None:
    """openai's message ``content`` (a string, or an array of ``oneOf`` parts), moderation
    ``input`` and prompt ``variables`` (a map of ``oneOf`` values, or null): a ``oneOf``
    inside a member of another union, directly or as its items or map values, is served
    as that ``oneOf`` (pydantic's union said ``anyOf``, or was flattened into the outer
    one) and refuses a value two of its members accept."""
    models_behave(
        tmp_path,
        NESTED_ONE_OF,
        """\
from pydantic import ValidationError
from specs.schemas import Message, Variables

both = {"text": "a", "url": "b"}
assert "2 members" in refused(Message, {"content": [both]})
assert "2 members" in refused(Message, {"part": both})
assert "2 members" in refused(Variables, {"v": both})
assert not refused(Message, {"content": [{"text": "a"}, {"url": "b"}], "part": {"url": "b"}})
assert not refused(Message, {"content": "a", "part": 1})
assert not refused(Variables, {"v": {"text": "a"}, "w": "x"}) and not refused(Variables, None)

def resolved(node, served):
    while "$ref" in node:
        node = served["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node

served = Message.model_json_schema()
content = served["properties"]["content"]
assert len(content["oneOf"]) == 2, content
items = resolved(content["oneOf"][1]["items"], served)
assert len(items["oneOf"]) == 2 and "anyOf" not in items, items
part = served["properties"]["part"]
assert len(part["anyOf"]) == 2, part
nested = resolved(part["anyOf"][1], served)
assert len(nested["oneOf"]) == 2 and "anyOf" not in nested, nested
variables = Variables.model_json_schema()
values = resolved(variables["anyOf"][0]["additionalProperties"], variables)
assert len(values["oneOf"]) == 3 and "anyOf" not in values, values
""",
    )


UNION_MEMBER_BY_REFERENCE = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    A:
      type: object
      required: [type, x]
      properties: {type: {type: string, enum: [a]}, x: {type: string}}
    B:
      type: object
      required: [type]
      properties: {type: {type: string, enum: [b]}}
    D:
      type: object
      required: [type, y]
      properties: {type: {type: string, enum: [a]}, y: {type: string}}
    Inner:
      type: object
      oneOf: [{$ref: '#/components/schemas/B'}, {$ref: '#/components/schemas/D'}]
      discriminator: {propertyName: type}
    Outer:
      oneOf:
        - {$ref: '#/components/schemas/A'}
        - {type: object, title: Inner item, $ref: '#/components/schemas/Inner'}
      discriminator: {propertyName: type}
"""


def test_a_discriminated_union_member_that_is_a_union_stays_one_member(tmp_path: Path) -> None:
    """openai's ``InputItem``: ``oneOf`` of 6 members, one of them ``{type: object, title,
    $ref: Item}``, ``Item`` an object ``oneOf`` of 27 with a discriminator. The member was
    read as an inline schema and ``Item``'s members spliced into the outer union (served
    with 32); ``Item``, a union beside ``type: object``, lost its discriminator. The
    member is its target (the keywords beside say nothing more), ``Item`` keeps its
    ``type`` and discriminator, and a value one of ``Item``'s members lists selects
    ``Item`` (with every member listing it)."""
    models_behave(
        tmp_path,
        UNION_MEMBER_BY_REFERENCE,
        """\
from pydantic import ValidationError
from specs.schemas import Inner, Outer

assert not refused(Outer, {"type": "a", "x": "1"})
assert not refused(Outer, {"type": "a", "y": "1"})  # D's, in Inner: 'a' selects A or Inner
assert not refused(Outer, {"type": "b"})
assert "selects no member" in refused(Outer, {"type": "z"})
assert "not valid against A or Inner" in refused(Outer, {"type": "a"})
assert refused(Inner, 1) and refused(Outer, [])

def resolved(node, served):
    while "$ref" in node:
        node = served["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node

outer = Outer.model_json_schema()
assert len(outer["oneOf"]) == 2 and outer["discriminator"] == {"propertyName": "type"}, outer
inner = resolved(outer["oneOf"][1], outer)
assert len(inner["oneOf"]) == 2 and inner["type"] == "object", inner
assert inner["discriminator"] == {"propertyName": "type"}, inner
""",
    )
