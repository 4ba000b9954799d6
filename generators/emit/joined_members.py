"""An ``allOf`` of plain objects written as the one object it means.

pagerduty's service orchestration: ``allOf: [$ref base, {properties: {orchestration_path:
{allOf: [{properties: {migrated_at...}}, {properties: {parent, sets...}}]}}}]``, where
the base declares ``orchestration_path`` too. datamodel-code-generator merges the two
declarations of ``orchestration_path`` property by property when each is an object, but
not when one is an ``allOf``: it then kept the base's ``parent`` and dropped what the
inner members narrow (``parent.type``'s enum), or the reverse.

An ``allOf`` whose members are objects that say nothing about each other's properties
(no ``$ref``, combinator or closing keyword: ``additionalProperties`` would apply to
one member's properties only; no property two members declare differently) is the
object holding all their properties and ``required`` names: the same values are valid.
References into a member (``.../allOf/1/properties/catch_all``) point at the same
schema in the object; an ``allOf`` a reference names a member of as a whole is left as
written.
"""

from __future__ import annotations

from typing import Any

from generators.emit import beside, walk

_NOT_SCHEMAS = frozenset({"example", "examples", "default", "enum", "const"})
_KEPT_APART = frozenset(
    {"$ref", "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "discriminator"}
    | {"additionalProperties", "unevaluatedProperties", "patternProperties"}
)


def join(document: dict[str, Any]) -> None:
    """Rewrite, in place, each ``allOf`` of plain objects in ``document`` (innermost
    first) into one object, and the references into its members to point into it."""
    references = list(_reference_holders(document))
    _walk(document, (), references)


def _walk(node: Any, at: tuple[str, ...], references: list[dict[str, Any]]) -> None:
    if isinstance(node, list):
        for index, item in enumerate(node):
            _walk(item, (*at, str(index)), references)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key not in _NOT_SCHEMAS and not str(key).startswith("x-"):
            _walk(value, (*at, key), references)
    joined = _joined(node)
    if joined is None:
        return
    prefix = "#/" + "/".join(_escaped(part) for part in (*at, "allOf"))
    pointed = [h for h in references if h["$ref"] == prefix or h["$ref"].startswith(prefix + "/")]
    rewritten = [_into_object(h["$ref"], prefix) for h in pointed]
    if any(ref is None for ref in rewritten):
        return  # a member (or the list) is referenced as a whole
    for holder, ref in zip(pointed, rewritten, strict=True):
        holder["$ref"] = ref
    node.clear()
    node.update(joined)


def _joined(node: dict[str, Any]) -> dict[str, Any] | None:
    members = node.get("allOf")
    if not isinstance(members, list) or len(members) < 2:
        return None
    if any(not isinstance(m, dict) or _KEPT_APART & set(m) for m in members):
        return None
    if any(not _object(m) for m in members):
        return None
    joined = {key: value for key, value in node.items() if key != "allOf"}
    if _KEPT_APART & set(joined):
        return None
    for member in members:
        if not beside.merged_into(joined, member):
            return None
    return joined


def declared_once(document: dict[str, Any]) -> None:
    """A property several members of an ``allOf`` (or it and a member) declare alike is
    declared by the first of them only: the same values are valid. Members that declare
    nothing differently datamodel-code-generator reads one by one, and a property's first
    declaration makes the field, optional where that member does not require it though
    another does (a base written in place, ``allOf: [{properties: {id}}, {properties:
    {id}, required: [id]}]``, served ``id`` optional). A declaration a reference names
    is left as written."""
    pointed = walk.pointed(document)

    def visit(node: dict[str, Any], at: str) -> None:
        if not isinstance(node.get("allOf"), list):
            return
        seen: dict[str, Any] = {}
        for schema, where in walk.declaring(node, at):
            properties = schema["properties"]
            for name in list(properties):
                if name not in seen:
                    seen[name] = properties[name]
                elif (
                    properties[name] == seen[name]
                    and f"{where}/properties/{walk.escaped(name)}" not in pointed
                ):
                    del properties[name]

    walk.bottom_up_at(document, visit)


def _object(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    return kind == "object" or (kind is None and isinstance(schema.get("properties"), dict))


def _into_object(ref: str, prefix: str) -> str | None:
    """``<prefix>/<i>/<rest>`` as ``<object>/<rest>``; None without a ``rest``."""
    parts = ref[len(prefix) + 1 :].split("/", 1) if ref != prefix else []
    if len(parts) != 2 or not parts[0].isdigit():
        return None
    return f"{prefix.removesuffix('/allOf')}/{parts[1]}"


def _escaped(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _reference_holders(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            found.append(node)
        for key, value in node.items():
            if key not in ("example", "examples") and not str(key).startswith("x-"):
                found += _reference_holders(value)
    elif isinstance(node, list):
        for item in node:
            found += _reference_holders(item)
    return found
