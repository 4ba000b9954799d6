"""A ``default`` where a type holds none, kept by a component of its own.

datamodel-code-generator types a member of a ``oneOf``/``anyOf`` and an array's
``items`` as bare types (``str | list[str]``), and a bare type has no default: openai's
embeddings ``input`` (``oneOf: [{type: string, default: ""}, {type: array, items:
{type: string, default: ""}}, ...]``) was served without either default. Such a
schema (inline, of no composition of its own) becomes a component named after where it
stands (``CreateEmbeddingRequestInput1``, ``CreateEmbeddingRequestInput2Item``), whose
class, a ``RootModel`` with that default, serves it wherever the class is used.

Left as before: a member of a union that only lists values (its default is the union's,
fidelity rule 16), the one member beside ``{type: "null"}`` (its default moves beside
the union: ``schemas._null_branch_notes_hoisted``), and the members of a union still
beside ``nullable: true`` (OpenAPI 3.0's nullable union) when this pass runs: its null
became a member before (``schemas._nullable_union_as_null_member``: openai's completions
``prompt``) unless a member says no type of its own.
"""

from __future__ import annotations

from typing import Any

from generators.emit.components import hoisted
from generators.emit.pytypes import class_name_of
from generators.emit.walk import VALUE_KEYS

_COMPOSED = frozenset({"$ref", "allOf", "anyOf", "oneOf", "not", "properties"})


def named(document: dict[str, Any], classes: dict[str, str]) -> None:
    """Make a component of each such schema in ``document``'s component schemas, its
    class added to ``classes`` (each component's)."""
    schemas = (document.get("components") or {}).get("schemas")
    if not isinstance(schemas, dict):
        return
    for name, schema in list(schemas.items()):
        _name_in(schema, classes[name], schemas, classes)


def _name_in(node: Any, holder: str, schemas: dict[str, Any], classes: dict[str, str]) -> None:
    """Name the schemas with a default held in ``node`` (a schema named ``holder``)."""
    if isinstance(node, list):
        for item in node:
            _name_in(item, holder, schemas, classes)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key in VALUE_KEYS or str(key).startswith("x-"):
            continue
        if key == "properties" and isinstance(value, dict):
            for prop, schema in value.items():
                _name_in(schema, holder + class_name_of(str(prop)), schemas, classes)
        elif key in ("anyOf", "oneOf") and isinstance(value, list):
            held = _held(value) if node.get("nullable") is not True else set()
            for index, member in enumerate(value):
                inner = f"{holder}{index + 1}"
                if index in held:
                    value[index] = hoisted(schemas, classes, member, inner)
                _name_in(member, inner, schemas, classes)
        elif key == "items" and isinstance(value, dict):
            if _defaulted(value):
                node[key] = hoisted(schemas, classes, value, f"{holder}Item")
            _name_in(value, f"{holder}Item", schemas, classes)
        else:
            _name_in(value, holder, schemas, classes)


def _held(members: list[Any]) -> set[int]:
    """The positions of the members whose default the union's type drops."""
    values_only = all(isinstance(m, dict) and {"enum", "const"} & set(m) for m in members)
    rest = [m for m in members if not (isinstance(m, dict) and m.get("type") == "null")]
    if values_only or len(rest) < 2:
        return set()
    return {index for index, member in enumerate(members) if _defaulted(member)}


def _defaulted(schema: Any) -> bool:
    return isinstance(schema, dict) and "default" in schema and not _COMPOSED & set(schema)
