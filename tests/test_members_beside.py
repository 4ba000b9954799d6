"""An object's ``oneOf``/``anyOf`` beside its properties (workos' request bodies, lichess's
``BroadcastRoundForm``): one model of the properties, the members served as written
beside them and enforced by the model's base (``generators.emit.beside``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.test_fidelity import body, contract_doc, differences, ok, served_doc
from tests.test_schema_composition import generated_models, mypy_strict, run_python

BESIDE = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Slug: {type: string, maxLength: 8}
    Check:
      allOf:
        - type: object
          properties:
            permission: {type: string}
          required: [permission]
        - oneOf:
            - type: object
              properties:
                resource_id: {type: string}
              required: [resource_id]
              not:
                anyOf:
                  - {required: [resource_external_id]}
            - type: object
              properties:
                resource_external_id: {type: string}
                resource_type: {$ref: '#/components/schemas/Slug'}
                limit: {type: integer}
              required: [resource_external_id, resource_type]
              not:
                anyOf:
                  - {required: [resource_id]}
    Round:
      description: A round, its games pushed or polled.
      allOf:
        - anyOf:
            - {type: object, required: [name]}
            - type: object
              required: [url]
              properties:
                url: {type: string, format: uri}
                name: {type: integer}
        - type: object
          properties:
            name: {type: string}
            delay: {type: integer, minimum: 0}
"""

_ONE_OF = [
    {
        "type": "object",
        "properties": {"resource_id": {"type": "string"}},
        "required": ["resource_id"],
        "not": {"anyOf": [{"required": ["resource_external_id"]}]},
    },
    {
        "type": "object",
        "properties": {
            "resource_external_id": {"type": "string"},
            "resource_type": {"type": "string", "maxLength": 8},
            "limit": {"type": "integer"},
        },
        "required": ["resource_external_id", "resource_type"],
        "not": {"anyOf": [{"required": ["resource_id"]}]},
    },
]


def test_members_beside_properties_are_served_as_written_and_enforced(
    tmp_path: Path,
) -> None:
    """workos' ``allOf: [{properties, required}, {oneOf: [...]}]``: served as the object
    with its ``type``, ``properties`` and ``required`` and the ``oneOf`` as written (a
    reference written in place), not as a union of merged classes; a value valid against
    no member or two is refused, the properties only members declare are fields."""
    root = generated_models(tmp_path, BESIDE)
    behaviour = run_python(
        root,
        "import json\n"
        "from pydantic import ValidationError\n"
        "from specs.schemas import Check, Round\n"
        "served = Check.model_json_schema()\n"
        "assert served['type'] == 'object', served\n"
        "assert list(served['properties']) == ['permission'], served\n"
        "assert served['required'] == ['permission'], served\n"
        f"assert served['oneOf'] == {_ONE_OF!r}, json.dumps(served['oneOf'])\n"
        "assert 'anyOf' not in served and 'x-members' not in served\n"
        "by_id = Check.model_validate({'permission': 'p', 'resource_id': 'r'})\n"
        "assert by_id.resource_id == 'r'\n"
        "by_external = Check.model_validate(\n"
        "    {'permission': 'p', 'resource_external_id': 'e', 'resource_type': 't', 'limit': 3}\n"
        ")\n"
        "assert (by_external.resource_external_id, by_external.limit) == ('e', 3)\n"
        "wrong = [\n"
        "    {'permission': 'p'},  # no member\n"
        "    {'permission': 'p', 'resource_id': 'r', 'resource_external_id': 'e'},  # not\n"
        "    {'permission': 'p', 'resource_external_id': 'e'},  # member's required\n"
        "    {'permission': 'p', 'resource_external_id': 'e', 'resource_type': 'too-long!'},\n"
        "    {'resource_id': 'r'},  # the object's required\n"
        "]\n"
        "for value in wrong:\n"
        "    try:\n"
        "        Check.model_validate(value)\n"
        "    except ValidationError:\n"
        "        continue\n"
        "    raise AssertionError(value)\n"
        "served = Round.model_json_schema()\n"
        "assert served['description'] == 'A round, its games pushed or polled.'\n"
        "assert set(served['properties']) == {'name', 'delay'}, served\n"
        "assert served['anyOf'][1]['properties']['name'] == {'type': 'integer'}, served\n"
        "assert Round.model_validate({'name': 'r1'}).name == 'r1'\n"
        "assert str(Round.model_validate({'url': 'https://x.org/a'}).url) == 'https://x.org/a'\n"
        "try:\n"
        "    Round.model_validate({'delay': 3})\n"
        "except ValidationError as error:\n"
        "    assert 'none of the members of its anyOf' in str(error), error\n"
        "else:\n"
        "    raise AssertionError('no member')\n",
    )
    assert behaviour.returncode == 0, behaviour.stderr
    checked = mypy_strict(root)
    assert checked.returncode == 0, checked.stdout


def _compare(ours: dict[str, Any], theirs: dict[str, Any]) -> list[str]:
    return differences(
        contract_doc({"requestBody": body(ours), "responses": ok()}),
        served_doc({"requestBody": body(theirs), "responses": ok()}),
    )


_OBJECT = {"type": "object", "properties": {"p": {"type": "string"}}, "required": ["p"]}
_MEMBERS = [{"required": ["a"]}, {"required": ["b"], "not": {"required": ["a"]}}]


def test_fidelity_reads_all_of_with_a_one_of_as_the_one_of_beside_the_object() -> None:
    """Rule 4 flattens ``allOf: [P, {oneOf: [A, B]}]`` into ``{P, oneOf: [A, B]}``, and
    rule 21 then applies as it does to that schema written so: both are equal, and
    neither equals ``anyOf`` of the members (a value two members accept differs)."""
    written = {"allOf": [_OBJECT, {"oneOf": _MEMBERS}]}
    assert _compare(written, {**_OBJECT, "oneOf": _MEMBERS}) == []
    assert _compare({**_OBJECT, "oneOf": _MEMBERS}, written) == []
    assert _compare(written, {**_OBJECT, "anyOf": _MEMBERS}) != []
    assert _compare(written, {**_OBJECT, "oneOf": _MEMBERS[:1]}) != []
    assert _compare(written, {"type": "object", "oneOf": _MEMBERS}) != []
