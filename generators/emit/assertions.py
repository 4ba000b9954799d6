"""Assertions pydantic's types cannot say, served and enforced as written.

datamodel-code-generator drops the JSON Schema keywords that only assert something of a
value and give it no type: ``not`` (workos' ``not: {anyOf: [{required: [password]},
...]}``: properties that exclude each other), ``if``/``then``/``else``,
``dependentRequired``, ``dependentSchemas`` and an array's ``contains``/``minContains``/
``maxContains``. The model accepts what the contract refuses and the served schema says
nothing of it. An array property's ``prefixItems`` (a tuple: a schema per position, and
``items`` for the positions past them, ``false`` closing it) it reads as a list of any
of those schemas, served so (``items: anyOf``, a ``maxItems`` for ``items: false``):
the positions are lost. Those keywords of an object schema, or of one of its properties' schemas,
are kept beside the model (the model's or the field's ``json_schema_extra``, served from
there as written) and its model derives from ``specs.validation.AssertedModel``, whose
validator checks the value against them with ``jsonschema``, as JSON Schema defines them.
Keywords holding a ``$ref`` are left as before: the schema it names is not at hand in the
model. So is a tuple of equal ``minItems`` and ``maxItems``: datamodel-code-generator
types it ``tuple[X, Y]``, which pydantic serves as ``prefixItems`` and enforces (prefect's
pairs, as pydantic wrote them).

The field of a tuple property is typed as that list (what any position may hold), and
keeps ``prefixItems`` and ``items`` as written, served in place of its items and
checked position by position.
"""

from __future__ import annotations

import json
from typing import Any

from generators.emit.components import hoisted

ASSERTED = (
    *("not", "if", "then", "else", "dependentRequired", "dependentSchemas"),
    *("contains", "minContains", "maxContains", "prefixItems"),
)
MARKS = frozenset(f"x-{keyword}" for keyword in ASSERTED)
"""The keys that keep them in ``json_schema_extra`` (datamodel-code-generator drops the
prefix)."""
MODEL_BASE = "specs.validation.AssertedModel"


def mark(schema: dict[str, Any]) -> None:
    """Keep the assertions of an object schema and of its properties where the model
    serves and enforces them."""
    properties = schema.get("properties")
    marked = False
    own = _asserted(schema)
    if own and (isinstance(properties, dict) or schema.get("type") == "object"):
        schema.update({f"x-{keyword}": value for keyword, value in own.items()})
        marked = True
    if isinstance(properties, dict):
        for name, prop in properties.items():
            positions = _positions_kept(prop)
            if positions is not None:
                properties[name] = prop = positions
                marked = True
            said = _asserted(prop)
            if said:
                properties[name] = {**prop, **{f"x-{k}": v for k, v in said.items()}}
                marked = True
    if not marked:
        return
    base = schema.get("customBasePath")
    bases = [] if base is None else [base] if isinstance(base, str) else list(base)
    schema["customBasePath"] = [*bases, MODEL_BASE] if bases else MODEL_BASE


def _asserted(schema: Any) -> dict[str, Any]:
    """The assertions ``schema`` makes that a model can carry (none that holds a
    ``$ref``)."""
    if not isinstance(schema, dict):
        return {}
    said = {keyword: schema[keyword] for keyword in ASSERTED if keyword in schema}
    return {} if '"$ref"' in json.dumps(said, default=str) else said


def _positions_kept(schema: Any) -> dict[str, Any] | None:
    """A tuple property (``prefixItems``) typed as the list of what any position holds
    (``items``: the one schema, or ``anyOf`` of them), ``prefixItems`` and the written
    ``items`` (``true`` where absent: any value past the positions) kept under ``x-``
    keys; None for any other schema, or one left as before (see the module docstring)."""
    if not isinstance(schema, dict) or schema.get("type") != "array":
        return None
    prefix, tail = schema.get("prefixItems"), schema.get("items", True)
    bounds = [schema.get(key) for key in ("minItems", "maxItems")]
    if not isinstance(prefix, list) or None not in bounds and bounds[0] == bounds[1]:
        return None
    if schema.get("nullable") is True or '"$ref"' in json.dumps([prefix, tail], default=str):
        return None
    members: dict[str, Any] = {}
    for member in [*prefix, tail]:
        if member is not False:
            members.setdefault(json.dumps(member, sort_keys=True), member)
    kinds = list(members.values())
    if not kinds:
        return None
    if any(kind is True or kind == {} for kind in kinds):
        items: Any = {}
    else:
        items = kinds[0] if len(kinds) == 1 else {"anyOf": kinds}
    rest = {key: value for key, value in schema.items() if key not in ("prefixItems", "items")}
    return {**rest, "items": items, "x-prefixItems": prefix, "x-items": tail}


def members_named(document: dict[str, Any], classes: dict[str, str]) -> None:
    """Make a component of each ``oneOf``/``anyOf`` member of a component that is an
    object with an assertion (a ``not``) and no properties (WorkOS's membership update: "neither
    ``role_slug`` nor ``role_slugs``"), named after its union and position:
    datamodel-code-generator types such an inline member ``dict[str, Any]``, which drops
    the ``not`` and admits every object (then every value matched two ``oneOf`` members),
    and makes a component of it a model that :func:`mark` can mark. Its class is added to
    ``classes`` (each component's)."""
    schemas = (document.get("components") or {}).get("schemas")
    if not isinstance(schemas, dict):
        return
    for name, schema in list(schemas.items()):
        for keyword in ("oneOf", "anyOf"):
            members = schema.get(keyword) if isinstance(schema, dict) else None
            if not isinstance(members, list):
                continue
            for index, member in enumerate(members):
                if _bare_assertion(member):
                    members[index] = hoisted(schemas, classes, member, f"{name}{index + 1}")


def _bare_assertion(schema: Any) -> bool:
    return (
        isinstance(schema, dict)
        and schema.get("type", "object") == "object"
        and not schema.get("properties")
        and not {"$ref", "oneOf", "anyOf", "allOf", "additionalProperties"} & set(schema)
        and bool(_asserted(schema))
    )


RUNTIME = '''

class AssertedModel(SchemaModel):
    """A model whose schema, or some of whose properties' schemas, assert what types
    cannot say (``not``, ``if``/``then``/``else``, ``dependentRequired``,
    ``dependentSchemas``, ``contains``, ``prefixItems``...): kept in the model's or the field's
    ``json_schema_extra`` (served from there, as written), and checked here."""

    @model_validator(mode="before")
    @classmethod
    def _check_assertions(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        document = to_jsonable_python(data, by_alias=True)
        _assert(cls.model_config.get("json_schema_extra"), document, "")
        for name, info in cls.model_fields.items():
            key = info.alias or name
            if key in document:
                _assert(info.json_schema_extra, document[key], f"{key}: ")
        return data


_ASSERTED = (
    *("not", "if", "then", "else", "dependentRequired", "dependentSchemas"),
    *("contains", "minContains", "maxContains", "prefixItems"),
)
_VALIDATORS: dict[str, Draft202012Validator] = {}


def _validator(schema: Any) -> Draft202012Validator:
    key = json.dumps(schema, sort_keys=True)
    if key not in _VALIDATORS:
        _VALIDATORS[key] = Draft202012Validator(schema)
    return _VALIDATORS[key]


def _valid(schema: Any, value: Any) -> bool:
    return bool(_validator(schema).is_valid(value))


def _assert(extra: Any, value: Any, where: str) -> None:
    """Refuse ``value`` where the assertions kept in ``extra`` do."""
    if not isinstance(extra, Mapping):
        return
    said = {keyword: extra[keyword] for keyword in _ASSERTED if keyword in extra}
    if not said:
        return
    if "prefixItems" in said and "items" in extra:
        said["items"] = extra["items"]  # the positions past prefixItems
    error = best_match(_validator(said).iter_errors(value))
    if error is None:
        return
    if error.validator == "not":
        raise ValueError(f"{where}valid against the schema under `not`, which refuses it")
    raise ValueError(f"{where}{error.message}")
'''
