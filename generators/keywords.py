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
