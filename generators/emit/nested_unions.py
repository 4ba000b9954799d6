"""A ``oneOf`` nested in a member of another union, served and enforced as written.

openai's message ``content`` is ``oneOf: [string, {type: array, items: {oneOf: [...]}}]``,
its prompt ``variables`` ``anyOf: [{additionalProperties: {oneOf: [...]}}, null]``: the
inner ``oneOf`` stands where no model can list it (:mod:`generators.emit.one_of` marks a
component's, a property's, its items' and its map values'), so pydantic served it as
``anyOf`` and took a value two of its members accept; written directly as a member
(``anyOf: [X, {oneOf: [A, B]}]``), datamodel-code-generator flattened it into the outer
union. Each such ``oneOf`` (the member itself, or its items or map values, at any depth)
becomes a component schema of its own, which the member refers to: a ``RootModel``
annotated ``OneOf()``, served as that ``oneOf`` and enforced wherever it is used. A
reference to a schema means that schema, so the contract is served as written.
"""

from __future__ import annotations

import copy
from typing import Any

from generators.emit import walk
from generators.emit.one_of import exclusive
from generators.emit.pytypes import class_name_of

_UNIONS = ("oneOf", "anyOf")
_INSIDE = ("items", "additionalProperties")  # an array's items, a map's values


def hoisted(document: dict[str, Any], classes: dict[str, str]) -> None:
    """Each exclusive ``oneOf`` nested in a union member of a component schema moved to a
    component of its own (``<Component>OneOf``, numbered where taken) and referred to, its
    class added to ``classes`` (each component's)."""
    schemas = (document.get("components") or {}).get("schemas")
    if not isinstance(schemas, dict):
        return
    queue = list(schemas.items())
    while queue:
        owner, schema = queue.pop(0)

        def visit(node: dict[str, Any], owner: str = owner) -> None:
            for keyword in _UNIONS:
                members = node.get(keyword)
                for member in members if isinstance(members, list) else ():
                    for position in _positions(member):
                        name = _free_name(f"{owner}OneOf", schemas, set(classes.values()))
                        schemas[name] = copy.deepcopy(position)
                        classes[name] = class_name_of(name)
                        queue.append((name, schemas[name]))
                        walk.replace(position, {"$ref": f"#/components/schemas/{name}"})

        walk.top_down(schema, visit)


def _positions(member: Any) -> list[dict[str, Any]]:
    """The exclusive ``oneOf``s at ``member``: itself, or its items or map values."""
    if not isinstance(member, dict):
        return []
    if exclusive(member):
        return [member]
    return [found for key in _INSIDE for found in _positions(member.get(key))]


def _free_name(wanted: str, schemas: dict[str, Any], classes: set[str]) -> str:
    name, number = wanted, 0
    while name in schemas or class_name_of(name) in classes:
        number += 1
        name = f"{wanted}{number}"
    return name
