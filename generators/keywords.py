"""JSON Schema's keywords by the instance type they apply to: a keyword validates only values
of its type (``minLength`` strings, ``minItems`` arrays...) and accepts every other value."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

APPLIES_TO = {
    **dict.fromkeys(("minLength", "maxLength", "pattern"), "string"),
    **dict.fromkeys(("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"), "number"),
    "multipleOf": "number",
    **dict.fromkeys(("items", "prefixItems", "additionalItems", "contains"), "array"),
    **dict.fromkeys(("minItems", "maxItems", "uniqueItems", "minContains"), "array"),
    **dict.fromkeys(("maxContains", "unevaluatedItems"), "array"),
    **dict.fromkeys(("properties", "patternProperties", "additionalProperties"), "object"),
    **dict.fromkeys(("required", "minProperties", "maxProperties", "propertyNames"), "object"),
    **dict.fromkeys(("unevaluatedProperties", "dependentRequired", "dependentSchemas"), "object"),
}


def idle_keywords(schema: Mapping[str, Any]) -> list[str]:
    """The keywords of ``schema`` for instance types its ``type`` refuses: they can reject
    nothing the schema accepts (``minLength`` beside ``type: array``). None without a
    ``type``."""
    kind = schema.get("type")
    kinds = {kind} if isinstance(kind, str) else set(kind) if isinstance(kind, list) else set()
    if not kinds or not all(isinstance(k, str) for k in kinds):
        return []
    if "integer" in kinds:
        kinds.add("number")
    return [key for key in schema if key in APPLIES_TO and APPLIES_TO[key] not in kinds]


ANNOTATIONS = frozenset(
    {"title", "description", "default", "deprecated", "readOnly", "writeOnly"}
    | {"example", "examples", "$comment", "externalDocs", "xml"}
)
"""The keywords that describe a value without constraining it: two schemas that differ
only in these accept the same values."""


def constraints(schema: Mapping[str, Any]) -> dict[str, Any]:
    """``schema`` without its :data:`ANNOTATIONS` at its top: what it accepts."""
    return {key: value for key, value in schema.items() if key not in ANNOTATIONS}


OBJECT_SHAPES = ("properties", "additionalProperties", "patternProperties")
"""The keywords that describe an object's members: beside no ``type`` they make a model."""
SHAPES = {"object": OBJECT_SHAPES, "array": ("items",)}
"""By instance type, the keywords that describe its values' parts (an array's ``items``)."""
_NOT_TYPED = frozenset({"type", "$ref", "allOf", "anyOf", "oneOf", "not", "if", "enum"})
_NOT_TYPED |= {"const", "format"}


def typeless_reading(schema: Mapping[str, Any]) -> str | None:
    """The type ``schema`` is read as when it describes an object's members
    (``properties``, ``additionalProperties``, ``patternProperties``) or an array's
    ``items`` without a ``type`` or anything else that gives it one: ``object`` (xero's
    ``BatchPaymentDetails``, lichess's ``Crosstable.users``) or ``array`` (pagerduty's
    ``responder_request_targets``), as its authors meant. As written it also admits
    values of every other type; the loader warns about it."""
    for kind, shapes in SHAPES.items():
        if not any(isinstance(schema.get(key), Mapping) for key in shapes):
            continue
        others = {key for key, applies in APPLIES_TO.items() if applies != kind}
        if not (_NOT_TYPED | others) & set(schema):
            return kind
    return None


def undeclared_required(schema: Mapping[str, Any], *, member: bool = False) -> list[str]:
    """The names ``required`` lists that the schema's own ``properties`` do not declare,
    where nothing else may declare them: no combinator or reference beside them, no
    ``patternProperties``, and the schema no member of an ``allOf``/``anyOf``/``oneOf``
    (``member``: a sibling or the schema holding it may declare the name). The object
    must hold each, with any value ``additionalProperties`` admits. Beside
    ``additionalProperties: false`` nothing is valid, and none is listed."""
    properties, required = schema.get("properties"), schema.get("required")
    if member or not isinstance(properties, Mapping) or not isinstance(required, list):
        return []
    if {"allOf", "anyOf", "oneOf", "$ref", "patternProperties"} & set(schema):
        return []
    if schema.get("additionalProperties") is False:
        return []
    return [name for name in required if isinstance(name, str) and name not in properties]


def enum_values(schema: Mapping[str, Any]) -> list[Any] | None:
    """The ``enum`` of ``schema`` less the values its ``type`` refuses (YAML's ``NO`` read
    as ``false`` among country codes): no instance can be one of them. ``null`` stays:
    nullability decides it."""
    values = schema.get("enum")
    if not isinstance(values, list):
        return None
    kind = schema.get("type")
    kinds = {kind} if isinstance(kind, str) else set(kind) if isinstance(kind, list) else set()
    if not kinds:
        return values
    return [value for value in values if value is None or kinds & _json_types(value)]


def _json_types(value: Any) -> set[str]:
    if isinstance(value, bool):
        return {"boolean"}
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return {"integer", "number"}
    if isinstance(value, float):
        return {"number"}
    names = {str: "string", list: "array", dict: "object"}
    return {name for kind, name in names.items() if isinstance(value, kind)}
