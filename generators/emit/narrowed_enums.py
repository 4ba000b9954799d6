"""An enum narrowed beside a reference to an enum is served and enforced narrowed.

Discord writes a property that admits some values of a component enum as that enum's
reference with the values it keeps beside it::

    {"type": "integer", "enum": [1, 2], "allOf": [{"$ref": ".../ApplicationEventWebhooksStatus"}]}

Both keywords apply, so the valid values are those both list (here 1 and 2, not the
component's 3). datamodel-code-generator reads only the reference and types the property
with the whole component enum. So such a schema is written as a copy of the component
narrowed to those values, in the component's own form (its ``oneOf`` of titled
``const`` members, or its ``enum``): the generated enum class (named after the property)
then has the component's member names, and lists only the values the contract allows.

The same holds for an OpenAPI 3.1 ``{"$ref": ..., "enum": [...]}`` (3.1 applies the
siblings of a reference; 3.0 ignores them). A narrowing that keeps every value says
nothing more than the reference, which stays; one that keeps none (Discord's
``enum: []``: no value is valid) is left as written.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any

from generators.emit import walk

_VALUE_KEYS = frozenset({"const", "enum", "type", "title", "description", "example", "examples"})
_PARALLEL = ("x-enum-varnames", "x-enumNames", "x-enum-descriptions")  # one item per value


def inline(document: dict[str, Any]) -> None:
    """Rewrite, in place, every narrowed reference to an enum in ``document``."""
    siblings_apply = not str(document.get("openapi", "")).startswith("3.0")
    walk.bottom_up(
        document, lambda node: walk.replace(node, _narrowed(document, node, siblings_apply))
    )


def _narrowed(
    document: dict[str, Any], node: dict[str, Any], siblings_apply: bool
) -> dict[str, Any] | None:
    """The schema ``node`` means when it narrows a referenced enum; None otherwise."""
    allowed = _listed(node)
    if not allowed:
        return None
    members = node.get("allOf")
    if isinstance(members, list) and len(members) == 1 and _is_reference(members[0]):
        ref, keyword = members[0]["$ref"], "allOf"
    elif siblings_apply and isinstance(node.get("$ref"), str):
        ref, keyword = node["$ref"], "$ref"
    else:
        return None
    target = _followed(document, ref)
    values = listed_values(target)
    if target is None or values is None:
        return None
    kept = {_key(value) for value in allowed} & {_key(value) for value in values}
    rest = {k: v for k, v in node.items() if k not in ("enum", "const")}
    if len(kept) == len({_key(value) for value in values}):
        return rest  # every value of the enum: the reference alone says it
    if not kept:
        return None  # nothing valid; left as written
    copied = _filtered(target, kept)
    return {**copied, **{k: v for k, v in rest.items() if k != keyword}}


def _listed(node: Mapping[str, Any]) -> list[Any] | None:
    if "const" in node:
        return [node["const"]]
    values = node.get("enum")
    return values if isinstance(values, list) else None


def _is_reference(member: Any) -> bool:
    return isinstance(member, dict) and set(member) == {"$ref"} and isinstance(member["$ref"], str)


def _followed(document: dict[str, Any], ref: str) -> dict[str, Any] | None:
    """The schema ``ref`` names, through references to references."""
    seen: set[str] = set()
    node: Any = {"$ref": ref}
    while _is_reference(node):
        ref = node["$ref"]
        if ref in seen or not ref.startswith("#/"):
            return None
        seen.add(ref)
        node = document
        for part in ref[2:].split("/"):
            key = part.replace("~1", "/").replace("~0", "~")
            node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else None


def listed_values(schema: Mapping[str, Any] | None) -> list[Any] | None:
    """The values an enum schema lists: its ``enum``, or the ``const``/``enum`` of its
    ``oneOf``/``anyOf`` members when they only list values (None for any other schema)."""
    if schema is None:
        return None
    listed = _listed(schema)
    if listed is not None:
        return listed
    for keyword in ("oneOf", "anyOf"):
        members = schema.get(keyword)
        if isinstance(members, list) and members and all(_lists_values(m) for m in members):
            return [value for member in members for value in _listed(member) or []]
    return None


def _lists_values(member: Any) -> bool:
    return (
        isinstance(member, dict)
        and ("const" in member or isinstance(member.get("enum"), list))
        and set(member) <= _VALUE_KEYS
    )


def _filtered(target: dict[str, Any], kept: set[str]) -> dict[str, Any]:
    """A copy of the enum schema ``target`` listing only the values in ``kept``, in its
    own form (the names beside its values filtered alike)."""
    schema = copy.deepcopy(target)
    values = schema.get("enum")
    if isinstance(values, list):
        keep = [_key(value) in kept for value in values]
        schema["enum"] = [value for value, ok in zip(values, keep, strict=True) if ok]
        for name in _PARALLEL:
            names = schema.get(name)
            if isinstance(names, list) and len(names) == len(values):
                schema[name] = [item for item, ok in zip(names, keep, strict=True) if ok]
        return schema
    for keyword in ("oneOf", "anyOf"):
        members = schema.get(keyword)
        if isinstance(members, list):
            filtered = (_member_filtered(member, kept) for member in members)
            schema[keyword] = [member for member in filtered if member is not None]
    return schema


def _member_filtered(member: dict[str, Any], kept: set[str]) -> dict[str, Any] | None:
    """A ``const``/``enum`` member of a values-only ``oneOf`` with only the kept values
    (None when it keeps none)."""
    if "const" in member:
        return member if _key(member["const"]) in kept else None
    values = [value for value in member["enum"] if _key(value) in kept]
    return {**member, "enum": values} if values else None


def _key(value: Any) -> str:
    """A value's identity as JSON compares values (``1`` equals ``1.0``, not ``true``)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return json.dumps(value, sort_keys=True)
