"""``not`` served and enforced as written.

datamodel-code-generator drops ``not``: the model accepts what the contract refuses
(workos' ``not: {anyOf: [{required: [password]}, ...]}``: properties that exclude each
other) and the served schema says nothing of it. A ``not`` of an object schema, or of one
of its properties' schemas, is kept beside the model (the model's or the field's
``json_schema_extra``, served from there as written) and its model derives from
``specs.validation.NegatedModel``, whose validator refuses a value valid against the
negated schema (checked by ``jsonschema``, as JSON Schema defines it). A ``not`` holding a
``$ref`` is left as before: the schema it names is not at hand in the model.
"""

from __future__ import annotations

import json
from typing import Any

MARK = "x-not"
MODEL_BASE = "specs.validation.NegatedModel"


def mark(schema: dict[str, Any]) -> None:
    """Keep the ``not`` of an object schema and of its properties where the model
    serves and enforces them."""
    properties = schema.get("properties")
    marked = False
    if _markable(schema.get("not")) and (
        isinstance(properties, dict) or schema.get("type") == "object"
    ):
        schema[MARK] = schema["not"]
        marked = True
    if isinstance(properties, dict):
        for name, prop in properties.items():
            if isinstance(prop, dict) and _markable(prop.get("not")):
                properties[name] = {**prop, MARK: prop["not"]}
                marked = True
    if not marked:
        return
    base = schema.get("customBasePath")
    bases = [] if base is None else [base] if isinstance(base, str) else list(base)
    schema["customBasePath"] = [*bases, MODEL_BASE] if bases else MODEL_BASE


def members_named(document: dict[str, Any]) -> None:
    """Make a component of each ``oneOf``/``anyOf`` member of a component that is an
    object with a ``not`` and no properties (WorkOS's membership update: "neither
    ``role_slug`` nor ``role_slugs``"), named after its union and position:
    datamodel-code-generator types such an inline member ``dict[str, Any]``, which drops
    the ``not`` and admits every object (then every value matched two ``oneOf`` members),
    and makes a component of it a model that :func:`mark` can negate."""
    schemas = (document.get("components") or {}).get("schemas")
    if not isinstance(schemas, dict):
        return
    for name, schema in list(schemas.items()):
        for keyword in ("oneOf", "anyOf"):
            members = schema.get(keyword) if isinstance(schema, dict) else None
            for index, member in enumerate(members if isinstance(members, list) else ()):
                if _bare_negation(member):
                    found, number = f"{name}{index + 1}", 2
                    while found in schemas:
                        found, number = f"{name}{index + 1}_{number}", number + 1
                    schemas[found] = member
                    members[index] = {"$ref": f"#/components/schemas/{found}"}


def _bare_negation(schema: Any) -> bool:
    return (
        isinstance(schema, dict)
        and schema.get("type", "object") == "object"
        and not schema.get("properties")
        and not {"$ref", "oneOf", "anyOf", "allOf", "additionalProperties"} & set(schema)
        and _markable(schema.get("not"))
    )


def _markable(negated: Any) -> bool:
    return isinstance(negated, dict | bool) and '"$ref"' not in json.dumps(negated)


RUNTIME = '''

class NegatedModel(SchemaModel):
    """A model whose schema, or some of whose properties' schemas, say ``not``: kept in
    the model's or the field's ``json_schema_extra`` (served from there, as written); a
    value valid against the negated schema is refused."""

    @model_validator(mode="before")
    @classmethod
    def _refuse_negated(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        document = to_jsonable_python(data, by_alias=True)
        extra = cls.model_config.get("json_schema_extra")
        negated = extra.get("not") if isinstance(extra, Mapping) else None
        if negated is not None and _valid(negated, document):
            raise ValueError("valid against the schema under `not`, which refuses it")
        for name, info in cls.model_fields.items():
            extra = info.json_schema_extra
            negated = extra.get("not") if isinstance(extra, Mapping) else None
            key = info.alias or name
            if negated is not None and key in document and _valid(negated, document[key]):
                raise ValueError(
                    f"{key}: valid against the schema under `not`, which refuses it"
                )
        return data


_NEGATED: dict[str, Draft202012Validator] = {}


def _valid(schema: Any, value: Any) -> bool:
    key = json.dumps(schema, sort_keys=True)
    if key not in _NEGATED:
        _NEGATED[key] = Draft202012Validator(schema)
    return bool(_NEGATED[key].is_valid(value))
'''
