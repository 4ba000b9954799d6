"""Where a contract holds schemas: every Schema Object OpenAPI places (``schema_objects``)
and every schema nested in one (``subschemas``), each with its path in the document."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from generators.loading.document import Document

JsonPath = tuple[str | int, ...]


def schema_objects(document: Document) -> Iterable[tuple[JsonPath, Any]]:
    """Every Schema Object outside ``components/schemas`` nesting: where OpenAPI puts schemas
    (a media type's ``schema``, and its ``itemSchema`` in OpenAPI 3.2)."""
    for name, schema in ((document.data.get("components") or {}).get("schemas") or {}).items():
        yield ("components", "schemas", name), schema
    stack: list[tuple[Any, JsonPath]] = [(document.data.get("paths") or {}, ("paths",))]
    stack += [(document.data.get("components") or {}, ("components",))]
    stack += [(document.data.get("webhooks") or {}, ("webhooks",))]
    while stack:
        node, at = stack.pop()
        if isinstance(node, Mapping):
            for key, value in node.items():
                child = (*at, key)
                if key in ("schema", "itemSchema") and isinstance(value, Mapping):
                    yield child, value
                elif not str(key).startswith("x-") and key != "schemas":
                    stack.append((value, child))
        elif isinstance(node, list):
            stack.extend((item, (*at, index)) for index, item in enumerate(node))


_SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMAS = (
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
)


def subschemas(schema: Any, at: JsonPath) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    """``schema`` and every schema nested in it (not through ``$ref``), with their paths."""
    stack = [(at, schema)]
    while stack:
        where, node = stack.pop()
        if not isinstance(node, dict):
            continue
        yield where, node
        for key in _SUBSCHEMA_MAPS:
            if isinstance(node.get(key), dict):
                stack += [((*where, key, name), sub) for name, sub in node[key].items()]
        for key in _SUBSCHEMA_LISTS:
            if isinstance(node.get(key), list):
                stack += [((*where, key, index), sub) for index, sub in enumerate(node[key])]
        for key in _SUBSCHEMAS:
            if isinstance(node.get(key), dict):
                stack.append(((*where, key), node[key]))
