"""An ``allOf`` one of whose members is only an ``anyOf`` of inline alternatives, written
as the ``anyOf`` of the ``allOf`` with each alternative.

DigitalOcean's firewall bodies: ``allOf: [{$ref: firewall}, {required: [name]}, {anyOf:
[{required: [inbound_rules]}, {required: [outbound_rules]}]}]``, "at least one list of
rules". datamodel-code-generator merges the ``allOf`` members into one class and drops
the ``anyOf`` member, so a body with neither list was accepted and the alternatives were
not served. ``allOf: [A, {anyOf: [X, Y]}]`` admits exactly what ``anyOf: [allOf: [A,
X], allOf: [A, Y]]`` admits (a value valid against A and against at least one of X, Y is
valid against at least one of A∧X, A∧Y), which datamodel-code-generator models as a
union of classes, each one alternative's, as it does an ``anyOf`` beside ``properties``.
Alternatives that are references are left alone: a class deriving from two components
is no class mypy or pydantic reliably accept."""

from __future__ import annotations

import copy
from typing import Any

from generators.emit import beside, walk

_DOCUMENTATION = frozenset({"title", "description", "example", "examples", "$comment"})


def distribute(document: dict[str, Any]) -> None:
    """Rewrite, in place and bottom-up, every such ``allOf`` of ``document``, except one
    :mod:`beside` serves as written (an inline object beside the ``anyOf``: lichess's
    ``BroadcastRoundForm``)."""
    walk.bottom_up(document, lambda node: _distribute(document, node))


def _distribute(document: dict[str, Any], node: dict[str, Any]) -> None:
    members = node.get("allOf")
    if not isinstance(members, list) or "anyOf" in node or "oneOf" in node:
        return
    if beside.liftable(document, node):
        return
    choices = [index for index, member in enumerate(members) if _only_alternatives(member)]
    if len(choices) != 1:
        return
    alternatives = members[choices[0]]["anyOf"]
    others = [member for index, member in enumerate(members) if index != choices[0]]
    del node["allOf"]
    node["anyOf"] = [{"allOf": [*copy.deepcopy(others), choice]} for choice in alternatives]


def _only_alternatives(member: Any) -> bool:
    """An ``anyOf`` of inline schemas, beside nothing but documentation."""
    if not isinstance(member, dict) or set(member) - _DOCUMENTATION != {"anyOf"}:
        return False
    alternatives = member["anyOf"]
    return (
        isinstance(alternatives, list)
        and len(alternatives) > 1
        and all(isinstance(a, dict) and "$ref" not in a for a in alternatives)
    )
