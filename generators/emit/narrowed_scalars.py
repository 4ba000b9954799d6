"""A referenced scalar narrowed by an ``allOf`` member is served and enforced narrowed.

DigitalOcean's volume bodies write the label of each filesystem as the shared label
component with a bound of its own::

    filesystem_label: {allOf: [{$ref: .../volume_write_file_system_label}, {maxLength: 16}]}

Both members apply: a valid label is a string of at most 16 characters. datamodel-code-
generator reads only the reference and types the property with the component's class,
so the bound was neither served nor enforced. Such a schema is written as a copy of the
component (a ``string``, ``integer``, ``number`` or ``boolean`` with no ``enum``: an
enum's narrowing is ``narrowed_enums``'s) with the members' constraints, when no
constraint is said twice; the property's own keywords stay beside them.
"""

from __future__ import annotations

import copy
from typing import Any

from generators.emit import walk

_SCALARS = frozenset({"string", "integer", "number", "boolean"})
_CONSTRAINTS = frozenset(
    {"maxLength", "minLength", "pattern", "format", "maximum", "minimum"}
    | {"exclusiveMaximum", "exclusiveMinimum", "multipleOf"}
)
_ANNOTATIONS = frozenset({"title", "description", "example", "examples", "$comment"})
_NOT_SCALAR = frozenset(
    {"$ref", "enum", "const", "allOf", "anyOf", "oneOf", "not", "properties", "items"}
)
_PREFIX = "#/components/schemas/"


def inline(document: dict[str, Any]) -> None:
    """Rewrite, in place, every narrowed reference to a scalar in ``document``."""
    walk.bottom_up(document, lambda node: walk.replace(node, _narrowed(document, node)))


def _narrowed(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any] | None:
    """The schema ``node`` means when it narrows a referenced scalar; None otherwise."""
    members = node.get("allOf")
    if not isinstance(members, list) or len(members) < 2:
        return None
    references = [m for m in members if isinstance(m, dict) and set(m) == {"$ref"}]
    if len(references) != 1:
        return None
    target = _component(document, references[0]["$ref"])
    if target is None:
        return None
    said = {k for k in target if k not in _ANNOTATIONS}
    merged = copy.deepcopy(target)
    for member in members:
        if member is references[0]:
            continue
        if not isinstance(member, dict) or set(member) - _CONSTRAINTS - _ANNOTATIONS:
            return None
        constraints = {k: v for k, v in member.items() if k in _CONSTRAINTS}
        if said & set(constraints):
            return None  # a constraint said twice: both apply, left to the allOf
        said |= set(constraints)
        merged.update(constraints)
    beside = {k: v for k, v in node.items() if k != "allOf"}
    if set(beside) & said:
        return None
    return {**merged, **beside}


def _component(document: dict[str, Any], ref: Any) -> dict[str, Any] | None:
    """The component a reference names, if it is a plain scalar."""
    if not isinstance(ref, str) or not ref.startswith(_PREFIX):
        return None
    schemas = (document.get("components") or {}).get("schemas") or {}
    target = schemas.get(ref[len(_PREFIX) :]) if isinstance(schemas, dict) else None
    if not isinstance(target, dict) or set(target) & _NOT_SCALAR:
        return None
    return target if target.get("type") in _SCALARS else None
